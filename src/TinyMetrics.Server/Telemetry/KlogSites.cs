namespace TinyMetrics.Telemetry;

/// <summary>
/// Where a log event says it comes from, and the klog verbosity it needs. Events that are upstream's
/// own carry upstream's file:line (pkg/scraper/scraper.go, pkg/server/server.go at metrics-server
/// 5ed5d3a2; k8s.io/apiserver's filters and certificate controllers as recent releases print them), so
/// a grep written for metrics-server finds them; every other event gets a token of its own,
/// `area.go:eventId`, which stays stable because event ids do.
/// </summary>
internal static class KlogSites
{
    public static KlogSite For(int eventId) => eventId switch
    {
        2001 => new("scraper", "scraper.go", 149, 0),
        2002 => new("scraper", "scraper.go", 147, 0),
        2003 => new("scraper", "scraper.go", 145, 4),
        2004 => new("scraper", "scraper.go", 182, 1),
        // Dropped points at upstream's levels: decode.go says an incomplete point at V(1), pkg/storage an older one at V(2).
        2005 => Own(eventId) with { Verbosity = 1 },
        2006 => Own(eventId) with { Verbosity = 2 },
        // pkg/storage's resourceUsage refusals, which upstream logs with ErrorS.
        2007 => new("storage", "node.go", 54, 0),
        2008 => new("storage", "pod.go", 74, 0),
        // HA membership changes at V(1); a peer failing or recovering, and the mode itself, at V(0).
        3100 or 3101 => Own(eventId) with { Verbosity = 1 },
        3003 => new("server", "server.go", 192, 0),
        3004 => new("server", "server.go", 180, 0),
        // k8s.io/apiserver's filters and dynamiccertificates controllers, which metrics-server links in.
        6009 => new("filters", "authentication.go", 75, 0),
        6010 => new("filters", "authorization.go", 93, 4),
        6013 => new("dynamiccertificates", "dynamic_cafile_content.go", 119, 2),
        7002 => new("dynamiccertificates", "dynamic_serving_content.go", 116, 2),
        // Upstream prints these with Infof (the generic API server's start-up lines): unquoted, values inline.
        5003 or 5005 => Own(eventId) with { Printf = true },
        _ => Own(eventId),
    };

    private static KlogSite Own(int eventId) => new(AreaOf(eventId), AreaOf(eventId) + ".go", eventId, FromLevel);

    /// <summary>The V level follows the event's LogLevel: Debug is V(4) and Trace V(6), as the -v flag maps them.</summary>
    public const int FromLevel = -1;

    private static string AreaOf(int eventId) => (eventId / 1000) switch
    {
        1 => "discovery",
        2 => "scraping",
        3 => "cycle",
        4 => "kube",
        5 => "tinymetrics",
        6 => "security",
        7 => "tls",
        8 => "serving",
        9 => "telemetry",
        _ => "hosting",
    };
}

/// <summary>One log site: klog's `file:line` in text, `dir/file:line` as the JSON caller, and its V level.</summary>
internal readonly record struct KlogSite(string Directory, string File, int Line, int Verbosity)
{
    /// <summary>A printf-style line (klog's Infof): the formatted template, unquoted, without key/value pairs.</summary>
    public bool Printf { get; init; }
}
