using System.Collections.Concurrent;
using LiteDB;

namespace CommunityBot.Storage;

/// <summary>
/// Group commit for LiteDB. Every LiteDB commit ends in a disk flush (measured here: about 110 single-insert
/// commits per second), so writes on the hot path are queued to one writer thread, which runs everything
/// queued at that moment in one transaction and commits once. Each caller's task completes only after the
/// commit that contains its write, so "written before the channel is answered" still holds.
/// LiteDB ties a transaction to the OS thread, which is why this is a dedicated thread and not a task.
/// Work made of many writes that must be kept or lost together (the demo's history) runs as one write with
/// <see cref="WriteTogetherAsync{T}"/>.
/// </summary>
public sealed partial class LiteDbWriter : IDisposable
{
    private const int MaxBatch = 512;

    private readonly ILiteDatabase _database;
    private readonly ILogger<LiteDbWriter> _logger;
    private readonly BlockingCollection<IWork> _queue = new();
    private readonly Thread _thread;
    private readonly List<Action> _afterCommit = [];

    // Set on the writer thread while a WriteTogetherAsync work runs; only read there.
    private ITogether? _together;

    public LiteDbWriter(ILiteDatabase database, ILogger<LiteDbWriter> logger)
    {
        _database = database;
        _logger = logger;
        _thread = new Thread(Run) { IsBackground = true, Name = "LiteDB writer" };
        _thread.Start();
    }

    /// <summary>Runs <paramref name="write"/> on the writer thread; completes once it is committed.</summary>
    public Task WriteAsync(Action<ILiteDatabase> write) => WriteAsync(db =>
    {
        write(db);
        return true;
    });

    /// <summary>Runs <paramref name="write"/> on the writer thread and returns its result once it is committed.</summary>
    public Task<T> WriteAsync<T>(Func<ILiteDatabase, T> write)
    {
        if (OnWriterThread && _together is { } together)
        {
            return together.Join(write, _database);
        }

        var work = new Work<T>(write);
        try
        {
            _queue.Add(work);
        }
        catch (InvalidOperationException)
        {
            throw new ObjectDisposedException(nameof(LiteDbWriter), "The store is shutting down.");
        }

        return work.Completion.Task;
    }

    /// <summary>
    /// Runs <paramref name="work"/> on the writer thread as one write, alone, and returns its result once that write is
    /// committed. Every write the work makes through this writer (<see cref="WriteAsync{T}"/>, from its own code or the
    /// stores it calls) runs at once inside the same transaction, and its reads see those writes; what the work awaits
    /// continues on the writer thread, still inside it. When the work fails, is cancelled, or one of its writes fails
    /// (even one it catches), nothing of it is kept; a crash before the commit keeps nothing either. Writes queued by
    /// other threads meanwhile wait for the commit. The work must not wait for anything that needs a write of this
    /// writer from another thread (it would wait for itself).
    /// </summary>
    public Task<T> WriteTogetherAsync<T>(Func<Task<T>> work)
    {
        var together = new Together<T>(this, work);
        try
        {
            _queue.Add(together);
        }
        catch (InvalidOperationException)
        {
            throw new ObjectDisposedException(nameof(LiteDbWriter), "The store is shutting down.");
        }

        return together.Completion.Task;
    }

    /// <summary>Whether the caller is inside a write (on the writer thread, where reads see the write's own changes).</summary>
    public bool OnWriterThread => Thread.CurrentThread == _thread;

    /// <summary>
    /// Runs <paramref name="action"/> once the write that calls this is committed (before its caller's task completes),
    /// and never if it is rolled back. Outside a write (no transaction on the writer thread) it runs at once.
    /// </summary>
    public void AfterCommit(Action action)
    {
        if (OnWriterThread)
        {
            _afterCommit.Add(action);
        }
        else
        {
            action();
        }
    }

    public void Dispose()
    {
        _queue.CompleteAdding();
        _thread.Join(TimeSpan.FromSeconds(10));
        _queue.Dispose();
    }

    private void Run()
    {
        var batch = new List<IWork>(MaxBatch);
        foreach (var first in _queue.GetConsumingEnumerable())
        {
            IWork? next = first;
            while (next is not null)
            {
                batch.Clear();
                batch.Add(next);
                next = null;
                // A WriteTogetherAsync work is a transaction of its own: it is never retried, so never batched.
                while (!batch[0].Alone && batch.Count < MaxBatch && _queue.TryTake(out var more))
                {
                    if (more.Alone)
                    {
                        next = more;
                        break;
                    }

                    batch.Add(more);
                }

                CommitBatch(batch);
            }
        }
    }

    private void CommitBatch(List<IWork> batch)
    {
        if (!TryCommitTogether(batch))
        {
            // One write failed: none of the batch was kept. Run each alone so only the faulty one fails.
            foreach (var work in batch)
            {
                TryCommitTogether([work]);
            }
        }
    }

    private bool TryCommitTogether(List<IWork> batch)
    {
        _afterCommit.Clear();
        try
        {
            _database.BeginTrans();
            foreach (var work in batch)
            {
                work.Run(_database);
            }

            _database.Commit();
        }
        catch (Exception ex)
        {
            _afterCommit.Clear();
            SafeRollback();
            if (batch.Count > 1)
            {
                return false;
            }

            LogWriteFailed(ex);
            batch[0].Fail(ex);
            return true;
        }

        foreach (var action in _afterCommit)
        {
            action();
        }

        _afterCommit.Clear();
        foreach (var work in batch)
        {
            work.Complete();
        }

        return true;
    }

    private void SafeRollback()
    {
        try
        {
            _database.Rollback();
        }
        catch (Exception ex)
        {
            LogWriteFailed(ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "A store write failed and was rolled back")]
    private partial void LogWriteFailed(Exception exception);

    private interface IWork
    {
        /// <summary>Whether this work is committed alone (never in a batch with others).</summary>
        bool Alone => false;

        void Run(ILiteDatabase database);

        void Complete();

        void Fail(Exception exception);
    }

    private sealed class Work<T>(Func<ILiteDatabase, T> write) : IWork
    {
        private T _result = default!;

        // Continuations must not run on the writer thread (they would hold up every other write).
        public TaskCompletionSource<T> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Run(ILiteDatabase database) => _result = write(database);

        public void Complete() => Completion.TrySetResult(_result);

        public void Fail(Exception exception) => Completion.TrySetException(exception);
    }

    /// <summary>The running WriteTogetherAsync work, as its nested writes see it.</summary>
    private interface ITogether
    {
        Task<T> Join<T>(Func<ILiteDatabase, T> write, ILiteDatabase database);
    }

    private sealed class Together<T>(LiteDbWriter writer, Func<Task<T>> work) : IWork, ITogether
    {
        private T _result = default!;
        private Exception? _failedWrite;

        public TaskCompletionSource<T> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool Alone => true;

        public void Run(ILiteDatabase database)
        {
            var previous = SynchronizationContext.Current;
            using var context = new WriterSynchronizationContext();
            SynchronizationContext.SetSynchronizationContext(context);
            writer._together = this;
            try
            {
                var task = work();
                context.RunUntilCompleted(task);
                _result = task.GetAwaiter().GetResult();
                if (_failedWrite is { } failed)
                {
                    // LiteDB has no savepoints: what the failed write did before it threw is in the transaction.
                    throw new InvalidOperationException("A write inside a write-together work failed; none of the work is kept.", failed);
                }
            }
            finally
            {
                writer._together = null;
                SynchronizationContext.SetSynchronizationContext(previous);
            }
        }

        public Task<TWrite> Join<TWrite>(Func<ILiteDatabase, TWrite> write, ILiteDatabase database)
        {
            try
            {
                return Task.FromResult(write(database));
            }
            catch (Exception ex)
            {
                _failedWrite ??= ex;
                return Task.FromException<TWrite>(ex);
            }
        }

        public void Complete() => Completion.TrySetResult(_result);

        public void Fail(Exception exception) => Completion.TrySetException(exception);
    }

    /// <summary>
    /// Keeps the continuations of a write-together work on the writer thread, inside its transaction: they are posted
    /// here and run by the writer thread until the work's task completes.
    /// </summary>
    private sealed class WriterSynchronizationContext : SynchronizationContext, IDisposable
    {
        private readonly BlockingCollection<(SendOrPostCallback Callback, object? State)> _posted = new();

        public override void Post(SendOrPostCallback d, object? state)
        {
            try
            {
                _posted.Add((d, state));
            }
            catch (Exception ex) when (ex is InvalidOperationException or ObjectDisposedException)
            {
                // Posted after the work completed (something it started and did not await): the write is over, so it
                // runs outside it, as any other code does.
                ThreadPool.QueueUserWorkItem(s => d(s), state);
            }
        }

        public void RunUntilCompleted(Task task)
        {
            task.ContinueWith(_ => _posted.CompleteAdding(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            foreach (var (callback, state) in _posted.GetConsumingEnumerable())
            {
                callback(state);
            }
        }

        public void Dispose() => _posted.Dispose();
    }
}
