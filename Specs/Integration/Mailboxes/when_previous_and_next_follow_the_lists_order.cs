using MailAccounts.Domain.Accounts;
using MailAccounts.Infrastructure.Mail.Mailboxes;
using MailAccounts.Specs.Support;
using MailKit;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;

namespace MailAccounts.Specs.Integration.Mailboxes;

/// <summary>
/// Previous and next on the message page step through the rows the list shows, whatever the user sorted it by, either
/// way, and in the thread view, page after page: on the private Dovecot (SORT and THREAD=REFERENCES), through the port.
/// </summary>
[Collection(ProductCollection.Name)]
public sealed class when_previous_and_next_follow_the_lists_order(ProductFixture product)
{
    private MailSessions Sessions => product.Services.GetRequiredService<MailSessions>();

    /// <summary>Appended oldest first; subjects, senders and sizes each in an order of their own, and one reply to the oldest.</summary>
    private static IEnumerable<MimeMessage> Letters()
    {
        var start = DateTimeOffset.UtcNow.AddHours(-5);
        (string Subject, string From, int Size, string? Answers)[] letters =
        [
            ("Charlie", "carol@specs.test", 300, null),
            ("Alpha", "erin@specs.test", 5_000, null),
            ("Echo", "alice@specs.test", 50, null),
            ("Re: Charlie", "dave@specs.test", 2_000, "charlie@specs.test"),
            ("Bravo", "bob@specs.test", 9_000, null),
        ];
        for (var i = 0; i < letters.Length; i++)
        {
            var (subject, from, size, answers) = letters[i];
            var message = new MimeMessage { Subject = subject, Date = start.AddMinutes(i), MessageId = subject.Replace(": ", "-", StringComparison.Ordinal).ToLowerInvariant() + "@specs.test" };
            message.From.Add(MailboxAddress.Parse(from));
            message.To.Add(MailboxAddress.Parse("anna@specs.test"));
            if (answers is not null)
            {
                message.InReplyTo = answers;
                message.References.Add(answers);
            }

            message.Body = new TextPart("plain") { Text = new string('x', size) };
            yield return message;
        }
    }

    private async Task<Account> AccountAsync()
    {
        var mailbox = await product.NewMailboxAsync();
        using (var client = await product.SignInAsync(mailbox))
        {
            foreach (var message in Letters())
            {
                await client.Inbox.AppendAsync(new AppendRequest(message, MessageFlags.None, message.Date));
            }
        }

        _password = mailbox.Password;
        var endpoints = product.MailServer.Endpoints;
        return new Account(
            Guid.CreateVersion7(), Guid.CreateVersion7(), AccountKind.Individual, "Order", "Order", mailbox.Address,
            new IncomingSettings(IncomingProtocol.Imap, endpoints.Host, endpoints.Imaps, TransportSecurity.SslOnConnect, mailbox.Address, Guid.CreateVersion7()),
            null, Account.DefaultFolders, null, null, [], false);
    }

    private string _password = "";

    private async Task<T> UseAsync<T>(Account account, Func<IMailbox, Task<T>> work)
    {
        var done = await Sessions.UseAsync(account, _ => Task.FromResult<string?>(_password), work, CancellationToken.None);
        done.Problem.ShouldBeNull();
        return done.Value!;
    }

    [Theory]
    [InlineData(ListSort.Date, false, false, 10)]
    [InlineData(ListSort.From, false, false, 10)]
    [InlineData(ListSort.From, true, false, 10)]
    [InlineData(ListSort.Subject, false, false, 10)]
    [InlineData(ListSort.Subject, true, false, 10)]
    [InlineData(ListSort.Size, false, false, 10)]
    [InlineData(ListSort.Size, true, false, 10)]
    [InlineData(ListSort.Date, true, true, 10)]
    [InlineData(ListSort.Date, false, true, 4)]
    [InlineData(ListSort.Subject, false, true, 3)]
    public async Task each_message_has_the_rows_above_and_below_it_in_the_list_as_neighbours(ListSort sort, bool descending, bool threaded, int pageSize)
    {
        var account = await AccountAsync();
        var order = new ListOrder(sort, descending, threaded);

        var shown = await UseAsync(account, async mailbox =>
        {
            var rows = new List<string>();
            for (var page = 1; ; page++)
            {
                var listing = await mailbox.ListingAsync([], "INBOX", page, pageSize, order, CancellationToken.None);
                listing.Page.Order.ShouldBe(order, "the private Dovecot sorts and threads on the server");
                rows.AddRange(listing.Page.Rows.Select(r => r.Id));
                if (page >= listing.Page.PageCount)
                {
                    return rows;
                }
            }
        });
        shown.Count.ShouldBe(5);
        shown.ShouldNotBe(shown.OrderByDescending(uint.Parse).ToList(), "the order asked for differs from the arrival order, or the spec proves nothing");

        for (var at = 0; at < shown.Count; at++)
        {
            var id = shown[at];
            var neighbours = await UseAsync(account, mailbox => mailbox.NeighboursAsync("INBOX", id, order, pageSize, CancellationToken.None));
            neighbours.ShouldBe(
                new Neighbours(at > 0 ? shown[at - 1] : null, at + 1 < shown.Count ? shown[at + 1] : null),
                $"UID {id}, row {at + 1} of the list in {order}");
        }
    }
}
