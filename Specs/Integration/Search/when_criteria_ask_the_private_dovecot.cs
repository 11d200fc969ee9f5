using MailAccounts.Domain.Search;
using MailAccounts.Infrastructure.Search;
using MailAccounts.Specs.Support;
using MailKit;
using MimeKit;

namespace MailAccounts.Specs.Integration.Search;

/// <summary>
/// The query words, translated to IMAP SEARCH, asked of the private Dovecot: each criterion finds what it should and
/// nothing else, Cyrillic text included (MailKit sends it with CHARSET UTF-8), and the date range counts the days as
/// the words say.
/// </summary>
[Collection(MailboxCollection.Name)]
public sealed class when_criteria_ask_the_private_dovecot(ProductFixture product)
{
    [Fact]
    public async Task each_criterion_finds_its_messages_and_no_other()
    {
        var mailbox = await product.NewMailboxAsync();
        var november = new DateTimeOffset(2026, 11, 10, 12, 0, 0, TimeSpan.Zero);
        var invoice = Importing.Message("Счёт за ноябрь", body: "Оплатите, пожалуйста, до пятницы.");
        var report = Importing.Message("Quarterly report", body: "The figures are attached.");
        report.Body = new Multipart("mixed") { report.Body!, new MimePart("application", "pdf") { FileName = "q.pdf", Content = new MimeContent(new MemoryStream(new byte[4000])) } };
        var fromAnna = Importing.Message("Lunch?");
        fromAnna.From.Clear();
        fromAnna.From.Add(new MailboxAddress("Анна Смирнова", "anna.smirnova@acme.test"));
        var uids = new List<uint>();
        uids.AddRange(await product.AppendAsync(mailbox, "INBOX", [invoice], MessageFlags.None, november));
        uids.AddRange(await product.AppendAsync(mailbox, "INBOX", [report], MessageFlags.Seen | MessageFlags.Flagged, november.AddDays(10)));
        uids.AddRange(await product.AppendAsync(mailbox, "INBOX", [fromAnna], MessageFlags.Seen | MessageFlags.Answered, november.AddDays(20)));
        var (invoiceUid, reportUid, annaUid) = (uids[0], uids[1], uids[2]);

        using var client = await product.SignInAsync(mailbox);
        await client.Inbox.OpenAsync(FolderAccess.ReadOnly);
        async Task<IReadOnlyList<uint>> FindAsync(string query) =>
            [.. (await client.Inbox.SearchAsync(ImapCriteria.ToSearchQuery(QueryWords.Parse(query).Criteria!))).Select(u => u.Id).Order()];

        (await FindAsync("счёт")).ShouldBe([invoiceUid]);
        (await FindAsync("body:пятницы")).ShouldBe([invoiceUid]);
        (await FindAsync("from:@acme.test")).ShouldBe([annaUid]);
        (await FindAsync("from:Смирнова")).ShouldBe([annaUid]);
        (await FindAsync("subject:\"quarterly report\"")).ShouldBe([reportUid]);
        (await FindAsync("Lunch OR счёт")).ShouldBe([invoiceUid, annaUid]);
        (await FindAsync("-from:@acme.test")).ShouldBe([invoiceUid, reportUid]);
        (await FindAsync("is:unread")).ShouldBe([invoiceUid]);
        (await FindAsync("is:flagged")).ShouldBe([reportUid]);
        (await FindAsync("is:answered")).ShouldBe([annaUid]);
        (await FindAsync("has:attachment")).ShouldBe([reportUid]);
        (await FindAsync("-has:attachment")).ShouldBe([invoiceUid, annaUid]);
        (await FindAsync("after:2026-11-20 before:2026-11-30")).ShouldBe([reportUid]);
        (await FindAsync("after:2026-11-21")).ShouldBe([annaUid]);
        (await FindAsync("before:2026-11-10")).ShouldBeEmpty();
        (await FindAsync("larger:1K")).ShouldBe([reportUid]);
        (await FindAsync("")).ShouldBe([invoiceUid, reportUid, annaUid]);
    }
}
