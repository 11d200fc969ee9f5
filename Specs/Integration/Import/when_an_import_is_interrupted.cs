using MailAccounts.Infrastructure.Import;
using MailAccounts.Specs.Support;

namespace MailAccounts.Specs.Integration.Import;

/// <summary>
/// Each batch's letters and the cursor's advance commit together: a run stopped in the middle (its time slice over,
/// or its work cancelled as a stopping host cancels it) lets the batches committing end, and goes on from the last
/// committed batch, with no gap and no duplicate, fetching at most one batch again.
/// </summary>
[Collection(ImportCollection.Name)]
public sealed class when_an_import_is_interrupted(ProductFixture product)
{
    private const int Messages = 45;
    private const int Batch = 10;

    [Fact]
    public async Task a_run_cut_short_by_its_time_slice_is_continued_where_it_committed()
    {
        using var account = await product.ImportingAccountAsync();
        await product.AppendAsync(account.Mailbox, "INBOX", [.. Enumerable.Range(1, Messages).Select(i => Importing.Message($"Message {i}"))]);
        // A slice so short that each run commits about one batch before it hands over.
        var sliced = Engine(TimeSpan.Zero);

        var runs = await product.ImportAsync(account.AccountId, sliced);

        runs.Count.ShouldBeGreaterThan(2, "the import was handed over several times");
        runs.Sum(r => r.Fetched).ShouldBe(Messages, "no message is fetched twice");
        await AllOnceAsync(account.AccountId);
    }

    [Fact]
    public async Task a_run_cancelled_in_the_middle_loses_at_most_the_batch_under_way()
    {
        using var account = await product.ImportingAccountAsync();
        await product.AppendAsync(account.Mailbox, "INBOX", [.. Enumerable.Range(1, Messages).Select(i => Importing.Message($"Message {i}"))]);
        using var stop = new CancellationTokenSource();
        var engine = Engine(TimeSpan.FromMinutes(5));
        var committed = 0;
        engine.BatchCommitted += () =>
        {
            if (++committed == 2)
            {
                stop.Cancel();
            }
        };

        await Should.ThrowAsync<OperationCanceledException>(() => engine.ImportAccountAsync(account.AccountId, account.UserId, stop.Token));
        var before = (await product.LettersAsync(account.AccountId)).Count;
        (before % Batch).ShouldBe(0, "only whole batches commit");
        before.ShouldBeInRange(2 * Batch, 3 * Batch, "the two batches committed before the stop, and the one committing when it came, which goes on to its end");

        var resumed = await product.ImportAsync(account.AccountId, Engine(TimeSpan.FromMinutes(5)));

        resumed.Sum(r => r.Fetched).ShouldBeLessThanOrEqualTo(Messages - before + Batch, "at most one batch is fetched again");
        await AllOnceAsync(account.AccountId);
    }

    private ImportEngine Engine(TimeSpan slice) => product.Engine(new ImportOptions { BatchMessages = Batch }, slice);

    /// <summary>Every message of the folder is one letter: no gap, no duplicate.</summary>
    private async Task AllOnceAsync(Guid accountId)
    {
        var letters = await product.LettersAsync(accountId);
        letters.Count.ShouldBe(Messages);
        letters.Select(l => l.Places.Single().Uid).Distinct().Count().ShouldBe(Messages);
        letters.Select(l => l.Headers.Subject).Order().ShouldBe(Enumerable.Range(1, Messages).Select(i => $"Message {i}").Order());
    }
}
