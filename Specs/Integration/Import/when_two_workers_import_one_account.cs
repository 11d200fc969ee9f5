using MailAccounts.Infrastructure.Import;
using MailAccounts.Specs.Support;

namespace MailAccounts.Specs.Integration.Import;

/// <summary>
/// Each account is imported by one worker at a time, however many hosts share the database: the account's lock is
/// PostgreSQL's, so two engines with their own connections (as two hosts have) never import one account together.
/// </summary>
[Collection(ImportCollection.Name)]
public sealed class when_two_workers_import_one_account(ProductFixture product)
{
    [Fact]
    public async Task one_imports_and_the_other_leaves_it_alone()
    {
        using var account = await product.ImportingAccountAsync();
        await product.WriteRawAsync(account.Mailbox, "INBOX", Enumerable.Range(1, 300).Select(n => Importing.Ascii(
            $"From: a@specs.test\r\nSubject: Shared {n}\r\nMessage-ID: <shared-{n}-{Guid.NewGuid():N}@specs.test>\r\n\r\nBody {n}\r\n")));
        var first = Engine();
        var second = Engine();
        using var started = new SemaphoreSlim(0);
        first.BatchCommitted += () => started.Release();

        var running = first.ImportAccountAsync(account.AccountId, account.UserId, CancellationToken.None);
        var batch = started.WaitAsync(TimeSpan.FromSeconds(60));
        if (await Task.WhenAny(batch, running) == running && !batch.IsCompleted)
        {
            // The first worker ended before committing a batch: say why, not that the second was not told it was busy.
            var ended = await running;
            ended.Fetched.ShouldBeGreaterThan(0, $"the first worker ended before its first batch: {ended.Problem ?? (ended.Busy ? "busy" : "nothing fetched")}");
        }

        (await batch).ShouldBeTrue("the first worker committed no batch within a minute");
        var other = await second.ImportAccountAsync(account.AccountId, account.UserId, CancellationToken.None);
        var done = await running;

        other.Busy.ShouldBeTrue("the account was being imported by the other worker");
        other.Fetched.ShouldBe(0);
        done.Fetched.ShouldBe(300);
        (await product.LettersAsync(account.AccountId)).Count.ShouldBe(300);
        (await second.ImportAccountAsync(account.AccountId, account.UserId, CancellationToken.None)).Busy.ShouldBeFalse("the lock is let go when the run ends");
    }

    private ImportEngine Engine() => product.Engine(new ImportOptions { BatchMessages = 10 }, TimeSpan.FromMinutes(5));
}
