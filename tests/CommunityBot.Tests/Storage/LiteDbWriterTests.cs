using CommunityBot.Storage;
using LiteDB;
using Microsoft.Extensions.Logging.Abstractions;

namespace CommunityBot.Tests.Storage;

/// <summary>
/// <see cref="LiteDbWriter.WriteTogetherAsync{T}"/>: a work of many writes kept or lost as one, its awaits continuing inside
/// it, and the writes of other threads waiting for its commit without being lost.
/// </summary>
public sealed class LiteDbWriterTests : IDisposable
{
    private readonly LiteDatabase _database = new(new MemoryStream());
    private readonly LiteDbWriter _writer;
    private readonly ILiteCollection<BsonDocument> _items;

    public LiteDbWriterTests()
    {
        _writer = new LiteDbWriter(_database, NullLogger<LiteDbWriter>.Instance);
        _items = _database.GetCollection("items");
    }

    public void Dispose()
    {
        _writer.Dispose();
        _database.Dispose();
    }

    [Fact]
    public async Task WriteTogether_NestedWritesAcrossAwaits_AreOneCommit_SeeingEachOther()
    {
        var afterCommit = 0;
        var seen = await _writer.WriteTogetherAsync(async () =>
        {
            for (var i = 0; i < 5; i++)
            {
                await _writer.WriteAsync(_ => _items.Insert(new BsonDocument { ["_id"] = i }));
                await Task.Yield(); // continues on the writer thread, inside the write
                Assert.True(_writer.OnWriterThread);
            }

            _writer.AfterCommit(() => afterCommit = _items.Count());
            return await _writer.WriteAsync(_ => _items.Count()); // reads see the work's own writes
        });

        Assert.Equal(5, seen);
        Assert.Equal(5, afterCommit); // after-commit actions run once it is committed, with everything in
        Assert.Equal(5, _items.Count());
    }

    [Fact]
    public async Task WriteTogether_WorkThrowsPartWay_KeepsNothing()
    {
        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => _writer.WriteTogetherAsync<int>(async () =>
        {
            await _writer.WriteAsync(_ => _items.Insert(new BsonDocument { ["_id"] = 1 }));
            await Task.Yield();
            throw new InvalidOperationException("stopped part-way (test)");
        }));

        Assert.Equal("stopped part-way (test)", failure.Message);
        Assert.Equal(0, _items.Count());
    }

    [Fact]
    public async Task WriteTogether_AnInnerWriteFails_EvenIfTheWorkCatchesIt_KeepsNothing()
    {
        var work = _writer.WriteTogetherAsync(async () =>
        {
            await _writer.WriteAsync(_ => _items.Insert(new BsonDocument { ["_id"] = 1 }));
            try
            {
                await _writer.WriteAsync(_ => _items.Insert(new BsonDocument { ["_id"] = 1 })); // a duplicate key
            }
            catch (LiteException)
            {
                // caught: the transaction may still hold part of what the failed write did
            }

            return 0;
        });

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => work);
        Assert.IsType<LiteException>(failure.InnerException);
        Assert.Equal(0, _items.Count());
    }

    [Fact]
    public async Task WriteTogether_WritesOfOtherThreadsMeanwhile_WaitForItsCommit_AndAreAllKept()
    {
        var inside = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var others = new List<Task>();
        var queued = 0;
        var together = _writer.WriteTogetherAsync(async () =>
        {
            await _writer.WriteAsync(_ => _items.Insert(new BsonDocument { ["_id"] = "together" }));
            inside.SetResult();
            // Other threads queue their writes now; they must not run inside this transaction.
            await Task.Run(() => SpinWait.SpinUntil(() => Volatile.Read(ref queued) == 20, TimeSpan.FromSeconds(5)));
            Assert.Equal(1, _items.Count());
            return 0;
        });
        await inside.Task;
        for (var i = 0; i < 20; i++)
        {
            var id = i;
            others.Add(Task.Run(() =>
            {
                var write = _writer.WriteAsync(_ => _items.Insert(new BsonDocument { ["_id"] = id }));
                Interlocked.Increment(ref queued);
                return write;
            }));
        }

        await together;
        await Task.WhenAll(others);
        Assert.Equal(21, _items.Count());
    }
}
