using TinyMetrics.Parsing;

namespace TinyMetrics.Scraping;

/// <summary>
/// The outcome of one node's scrape: a batch, or an error as a value. A failed node contributes
/// nothing to storage, as upstream (its metrics disappear until it is scraped again).
/// </summary>
public readonly record struct NodeScrapeResult(string NodeName, NodeBatch? Batch, string? Error, double ElapsedMs)
{
    public bool Succeeded => Batch is not null;
}
