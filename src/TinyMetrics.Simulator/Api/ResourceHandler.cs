using System.Globalization;
using System.Text.Json;

namespace TinyMetrics.Simulator.Api;

/// <summary>GET of one object and LIST (paged, filtered, full / metadata-only / Table) for nodes and pods.</summary>
internal sealed class ResourceHandler
{
    private const int FlushEvery = 256;

    private readonly ApiState _state;

    public ResourceHandler(ApiState state) => _state = state;

    public async Task GetAsync(HttpContext context, IResourceView view, string? ns, string name)
    {
        var index = view.IndexOf(ns, name);
        if (index < 0)
        {
            await ApiResponses.NotFoundAsync(context, view.Resource, name);
            return;
        }
        switch (RenderModes.FromAccept(context.Request))
        {
            case RenderMode.Metadata:
                await ApiResponses.OkAsync(context, view.MetadataOf(index), ApiJsonContext.Default.PartialObjectMetadata);
                break;
            case RenderMode.Table:
                await ApiResponses.OkAsync(context, TableOf(view, [index], context.Request.Query["includeObject"] == "Object", null),
                    ApiJsonContext.Default.Table);
                break;
            default:
                context.Response.ContentType = ApiResponses.Json;
                await JsonSerializer.SerializeAsync(context.Response.Body, view.ObjectOf(index), ApiJsonContext.Default.Object, context.RequestAborted);
                break;
        }
    }

    public async Task ListAsync(HttpContext context, IResourceView view, string? ns)
    {
        var query = ListQuery.TryParse(context.Request, ns, view is PodView, out var error);
        if (query is null)
        {
            await ApiResponses.BadRequestAsync(context, error);
            return;
        }
        if (query.Watch)
        {
            await new WatchStream(_state, view, query).RunAsync(context);
            return;
        }
        var resourceVersion = _state.ResourceVersion;
        var start = 0;
        if (query.Continue is not null)
        {
            if (!ContinueToken.TryDecode(query.Continue, out var tokenVersion, out start))
            {
                await ApiResponses.BadRequestAsync(context, "continue key is not valid");
                return;
            }
            if (tokenVersion != resourceVersion)
            {
                await ApiResponses.StatusAsync(context, StatusCodes.Status410Gone, "Expired",
                    "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.");
                return;
            }
        }
        var page = Select(view, query, start, out var next, out var remaining);
        var meta = new ListMeta
        {
            ResourceVersion = resourceVersion.ToString(CultureInfo.InvariantCulture),
            Continue = next < 0 ? null : ContinueToken.Encode(resourceVersion, next),
            RemainingItemCount = next < 0 ? null : remaining,
        };
        if (query.Mode == RenderMode.Table)
            await ApiResponses.OkAsync(context, TableOf(view, page, query.IncludeFullObject, meta), ApiJsonContext.Default.Table);
        else
            await WriteListAsync(context, view, page, query.Mode, meta);
    }

    /// <summary>The matching indexes from <paramref name="start"/>, at most limit; <paramref name="next"/> is -1 at the end.</summary>
    private static List<int> Select(IResourceView view, ListQuery query, int start, out int next, out long remaining)
    {
        var page = new List<int>();
        next = -1;
        remaining = 0;
        for (var i = Math.Max(0, start); i < view.Count; i++)
        {
            if (!view.Matches(i, query.Namespace, query.Labels, query.Fields))
                continue;
            if (query.Limit > 0 && page.Count == query.Limit)
            {
                if (next < 0)
                    next = i;
                remaining++;
                continue;
            }
            page.Add(i);
        }
        return page;
    }

    private static async Task WriteListAsync(HttpContext context, IResourceView view, List<int> page, RenderMode mode, ListMeta meta)
    {
        context.Response.ContentType = ApiResponses.Json;
        var body = context.Response.BodyWriter;
        await using var writer = new Utf8JsonWriter(body);
        var metadataOnly = mode == RenderMode.Metadata;
        writer.WriteStartObject();
        writer.WriteString("kind", metadataOnly ? "PartialObjectMetadataList" : view.Kind + "List");
        writer.WriteString("apiVersion", metadataOnly ? "meta.k8s.io/v1" : "v1");
        writer.WritePropertyName("metadata");
        JsonSerializer.Serialize(writer, meta, ApiJsonContext.Default.ListMeta);
        writer.WriteStartArray("items");
        for (var n = 0; n < page.Count; n++)
        {
            if (metadataOnly)
                JsonSerializer.Serialize(writer, view.MetadataOf(page[n]), ApiJsonContext.Default.PartialObjectMetadata);
            else
                view.WriteObject(writer, page[n]);
            if (n % FlushEvery == FlushEvery - 1)
            {
                writer.Flush();
                await body.FlushAsync(context.RequestAborted);
            }
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.Flush();
    }

    private static Table TableOf(IResourceView view, IReadOnlyList<int> indexes, bool fullObject, ListMeta? meta)
    {
        var table = new Table { Metadata = meta ?? new ListMeta(), ColumnDefinitions = view.Columns };
        foreach (var i in indexes)
            table.Rows.Add(new TableRow { Cells = view.Cells(i), Object = fullObject ? view.ObjectOf(i) : view.MetadataOf(i) });
        return table;
    }
}
