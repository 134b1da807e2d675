namespace TinyMetrics.Discovery;

/// <summary>Receives what a <see cref="ListWatcher{TItem, TList}"/> reads; called from the watcher's task only.</summary>
internal interface IWatchSink<TItem>
{
    /// <summary>A full list: the new complete contents.</summary>
    void Replace(List<TItem> items);

    void Upsert(TItem item);

    void Delete(TItem item);
}
