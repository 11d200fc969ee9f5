using System.Text;
using Marten;
using MailAccounts.Domain.Accounts;
using MailAccounts.Domain.Search;
using MailAccounts.Infrastructure.Search;
using MailAccounts.Specs.Support;
using MailKit;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;

namespace MailAccounts.Specs.Integration.Search.Live;

/// <summary>
/// The live search of one folder through the product's code (the account's stored password, the pool, one UID SEARCH
/// and the page's fetch): each criterion finds what it should and nothing else, Cyrillic written in UTF-8,
/// windows-1251 and KOI8-R included; results newest first, paged.
/// </summary>
[Collection(MailboxCollection.Name)]
public sealed class when_one_live_folder_is_searched(ProductFixture product)
{
    private static MimeMessage InCharset(string subject, string body, string charset, string fromName = "Boris Petrov", string from = "boris@specs.test")
    {
        var encoding = Encoding.GetEncoding(charset);
        var message = new MimeMessage { Date = DateTimeOffset.UtcNow, MessageId = MimeKit.Utils.MimeUtils.GenerateMessageId("specs.test") };
        message.Headers.Replace(HeaderId.Subject, encoding, subject);
        message.From.Add(new MailboxAddress(encoding, fromName, from));
        message.To.Add(new MailboxAddress("Anna", "anna@specs.test"));
        var text = new TextPart("plain");
        text.SetText(encoding, body);
        message.Body = text;
        return message;
    }

    [Fact]
    public async Task each_criterion_finds_its_letters_in_every_charset_and_no_other()
    {
        var owner = await product.ImportingAccountAsync(on: false);
        var november = new DateTimeOffset(2026, 11, 10, 12, 0, 0, TimeSpan.Zero);
        var utf8 = InCharset("Счёт за ноябрь", "Оплатите, пожалуйста, до пятницы.", "utf-8");
        var cp1251 = InCharset("Договор поставки", "Подпишите договор до среды.", "windows-1251", "Анна Смирнова", "anna.smirnova@acme.test");
        var koi8 = InCharset("Отчёт за квартал", "Цифры во вложении, смотрите таблицу.", "koi8-r");
        var english = Importing.Message("Quarterly invoice", body: "Please pay the invoice by Friday.");
        var big = Importing.Message("Big report", body: new string('x', 5000));
        var uids = new List<uint>();
        uids.AddRange(await product.AppendAsync(owner.Mailbox, "INBOX", [utf8], MessageFlags.None, november));
        uids.AddRange(await product.AppendAsync(owner.Mailbox, "INBOX", [cp1251], MessageFlags.Seen | MessageFlags.Flagged, november.AddDays(5)));
        uids.AddRange(await product.AppendAsync(owner.Mailbox, "INBOX", [koi8], MessageFlags.Seen | MessageFlags.Answered, november.AddDays(10)));
        uids.AddRange(await product.AppendAsync(owner.Mailbox, "INBOX", [english], MessageFlags.Seen, november.AddDays(15)));
        uids.AddRange(await product.AppendAsync(owner.Mailbox, "INBOX", [big], MessageFlags.Seen, november.AddDays(20)));
        var (u8, w1251, k8, en, large) = (uids[0], uids[1], uids[2], uids[3], uids[4]);

        var search = product.Services.GetRequiredService<LiveSearch>();
        await using var session = product.Services.GetRequiredService<IDocumentStore>().QuerySession();
        var account = (await product.AccountsOfAsync(owner.UserId)).Single(a => a.Id == owner.AccountId);
        async Task<uint[]> FindAsync(string query)
        {
            var results = await search.SearchFolderAsync(session, account, "INBOX", QueryWords.Parse(query).Criteria!, 1, 50, CancellationToken.None);
            results.Problems.ShouldBeEmpty(query);
            return [.. results.Rows.Select(r => uint.Parse(r.Row.Id))];
        }

        (await FindAsync("счёт")).ShouldBe([u8]);
        (await FindAsync("договор")).ShouldBe([w1251]);
        (await FindAsync("subject:отчёт")).ShouldBe([k8]);
        (await FindAsync("body:пятницы")).ShouldBe([u8]);
        (await FindAsync("body:среды")).ShouldBe([w1251]);
        (await FindAsync("body:таблицу")).ShouldBe([k8]);
        (await FindAsync("body:invoice")).ShouldBe([en]);
        (await FindAsync("text:Friday")).ShouldBe([en]);
        (await FindAsync("from:Смирнова")).ShouldBe([w1251]);
        (await FindAsync("from:@acme.test")).ShouldBe([w1251]);
        (await FindAsync("to:anna@")).ShouldBe([large, en, k8, w1251, u8]);
        (await FindAsync("quarterly OR счёт")).ShouldBe([en, u8]);
        (await FindAsync("-from:@acme.test is:unread")).ShouldBe([u8]);
        (await FindAsync("is:flagged")).ShouldBe([w1251]);
        (await FindAsync("is:answered")).ShouldBe([k8]);
        (await FindAsync("after:2026-11-16 before:2026-11-26")).ShouldBe([en, k8]);
        (await FindAsync("larger:4K")).ShouldBe([large]);
        (await FindAsync("smaller:4K subject:\"quarterly invoice\"")).ShouldBe([en]);
        (await FindAsync("письмо")).ShouldBeEmpty();
    }

    [Fact]
    public async Task results_come_newest_first_a_page_at_a_time_with_the_total()
    {
        var owner = await product.ImportingAccountAsync(on: false);
        var start = DateTimeOffset.UtcNow.AddDays(-1);
        for (var i = 1; i <= 5; i++)
        {
            await product.AppendAsync(owner.Mailbox, "INBOX", [Importing.Message($"Invoice {i}"), Importing.Message($"Other {i}")], MessageFlags.None, start.AddMinutes(i));
        }

        var search = product.Services.GetRequiredService<LiveSearch>();
        await using var session = product.Services.GetRequiredService<IDocumentStore>().QuerySession();
        var account = (await product.AccountsOfAsync(owner.UserId)).Single(a => a.Id == owner.AccountId);
        var criteria = QueryWords.Parse("subject:invoice").Criteria!;

        var first = await search.SearchFolderAsync(session, account, "INBOX", criteria, 1, 2, CancellationToken.None);
        var last = await search.SearchFolderAsync(session, account, "INBOX", criteria, 3, 2, CancellationToken.None);
        var beyond = await search.SearchFolderAsync(session, account, "INBOX", criteria, 9, 2, CancellationToken.None);

        first.Rows.Select(r => r.Row.Subject).ShouldBe(["Invoice 5", "Invoice 4"]);
        (first.Total, first.PageCount).ShouldBe((5, 3));
        last.Rows.Select(r => r.Row.Subject).ShouldBe(["Invoice 1"]);
        beyond.Page.ShouldBe(3);
        beyond.Rows.Select(r => r.Row.Subject).ShouldBe(["Invoice 1"]);
        first.Rows.ShouldAllBe(r => r.Folder == "INBOX" && r.AccountId == account.Id);
    }
}
