namespace TinyMetrics.Discovery;

/// <summary>Receives what a <see cref="ListWatcher{TItem, TList}"/> reads; called from the watcher's task only.</summary>
internal interface IWatchSink<TItem>
{
    /// <summary>Starts a full relist; items are reduced page by page so a huge list is never held as raw objects.</summary>
    IReplaceBatch<TItem> BeginReplace();

    void Upsert(TItem item);

    void Delete(TItem item);
}

/// <summary>The pages of one full list; <see cref="Commit"/> makes them the complete contents.</summary>
internal interface IReplaceBatch<TItem>
{
    int Count { get; }

    void Add(TItem item);

    void Commit();
}
