using System.Text.Json;

namespace TinyMetrics.Rendering;

/// <summary>The two OpenAPI dialects a schema is published in.</summary>
internal enum OpenApiDialect
{
    /// <summary>Swagger 2.0 (/openapi/v2): "#/definitions/" references beside their description, no defaults.</summary>
    V2,

    /// <summary>OpenAPI 3.0 (/openapi/v3/...): "#/components/schemas/" references, wrapped in allOf when they carry siblings.</summary>
    V3,
}

/// <summary>
/// Writes one schema of the neutral form (<see cref="OpenApiMetaSchemas"/>) in a dialect, as kube-openapi's builders
/// publish it: v2 drops defaults; v3 wraps a reference that has a description or default in <c>allOf</c>, because a
/// v3 "$ref" ignores its siblings.
/// </summary>
internal static class OpenApiSchemaWriter
{
    public const string QuantityName = "io.k8s.apimachinery.pkg.api.resource.Quantity";

    /// <summary>Writes <paramref name="schema"/> in <paramref name="dialect"/>.</summary>
    public static void Write(Utf8JsonWriter w, JsonElement schema, OpenApiDialect dialect)
    {
        if (schema.TryGetProperty("$ref"u8, out var reference))
        {
            WriteReference(w, schema, reference.GetString()!, dialect);
            return;
        }
        w.WriteStartObject();
        WriteMembers(w, schema, dialect);
        w.WriteEndObject();
    }

    /// <summary>A definition: the schema plus the group-version-kinds it is the body of (none for shared types).</summary>
    public static void WriteDefinition(Utf8JsonWriter w, string name, JsonElement schema, OpenApiDialect dialect,
        string? group, string? version, string? kind)
    {
        w.WritePropertyName(name);
        w.WriteStartObject();
        if (dialect == OpenApiDialect.V3 && name == QuantityName)
            WriteQuantityV3(w, schema);
        else
            WriteMembers(w, schema, dialect);
        if (kind is not null)
        {
            w.WriteStartArray("x-kubernetes-group-version-kind"u8);
            w.WriteStartObject();
            w.WriteString("group"u8, group);
            w.WriteString("kind"u8, kind);
            w.WriteString("version"u8, version);
            w.WriteEndObject();
            w.WriteEndArray();
        }
        w.WriteEndObject();
    }

    private static void WriteMembers(Utf8JsonWriter w, JsonElement schema, OpenApiDialect dialect)
    {
        foreach (var member in schema.EnumerateObject())
        {
            if (member.NameEquals("default"u8) && dialect == OpenApiDialect.V2)
                continue;
            if (member.NameEquals("properties"u8))
            {
                w.WriteStartObject("properties"u8);
                foreach (var property in member.Value.EnumerateObject())
                {
                    w.WritePropertyName(property.Name);
                    Write(w, property.Value, dialect);
                }
                w.WriteEndObject();
            }
            else if (member.NameEquals("items"u8) || member.NameEquals("additionalProperties"u8))
            {
                w.WritePropertyName(member.Name);
                Write(w, member.Value, dialect);
            }
            else
            {
                member.WriteTo(w);
            }
        }
    }

    private static void WriteReference(Utf8JsonWriter w, JsonElement schema, string target, OpenApiDialect dialect)
    {
        var prefix = dialect == OpenApiDialect.V2 ? "#/definitions/" : "#/components/schemas/";
        var siblings = 0;
        foreach (var member in schema.EnumerateObject())
            siblings += member.NameEquals("$ref"u8) || (dialect == OpenApiDialect.V2 && member.NameEquals("default"u8)) ? 0 : 1;
        w.WriteStartObject();
        if (dialect == OpenApiDialect.V3 && siblings > 0)
        {
            w.WriteStartArray("allOf"u8);
            w.WriteStartObject();
            w.WriteString("$ref"u8, prefix + target);
            w.WriteEndObject();
            w.WriteEndArray();
        }
        else
        {
            w.WriteString("$ref"u8, prefix + target);
        }
        foreach (var member in schema.EnumerateObject())
        {
            if (!member.NameEquals("$ref"u8) && !(dialect == OpenApiDialect.V2 && member.NameEquals("default"u8)))
                member.WriteTo(w);
        }
        w.WriteEndObject();
    }

    // Quantity is a string or a number on the wire; v3 says so (resource.Quantity's OpenAPIV3OneOfTypes).
    private static void WriteQuantityV3(Utf8JsonWriter w, JsonElement schema)
    {
        w.WriteString("description"u8, schema.GetProperty("description"u8).GetString());
        w.WriteStartArray("oneOf"u8);
        w.WriteStartObject();
        w.WriteString("type"u8, "string"u8);
        w.WriteEndObject();
        w.WriteStartObject();
        w.WriteString("type"u8, "number"u8);
        w.WriteEndObject();
        w.WriteEndArray();
    }
}
