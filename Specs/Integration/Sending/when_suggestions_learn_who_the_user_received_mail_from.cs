using System.Net;
using System.Text.Json;
using Marten;
using MailAccounts.Infrastructure.Sending;
using MailAccounts.Specs.Support;
using MailKit;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;

namespace MailAccounts.Specs.Integration.Sending;

/// <summary>
/// The compose form's suggestions offer whom the user received mail from: the sender of a message the user opened is
/// learnt (once, off the request path), ranked below the people the user wrote to, and the user's own address is never
/// offered. Through the real host on the private Dovecot.
/// </summary>
[Collection(ProductCollection.Name)]
public sealed class when_suggestions_learn_who_the_user_received_mail_from(ProductFixture product)
{
    private static MimeMessage Letter(string subject, MailboxAddress from)
    {
        var message = new MimeMessage { Subject = subject, Date = DateTimeOffset.UtcNow.AddMinutes(-5) };
        message.From.Add(from);
        message.To.Add(MailboxAddress.Parse("anna@specs.test"));
        message.Body = new TextPart("plain") { Text = "Hello" };
        return message;
    }

    private static async Task<IReadOnlyList<string>> SuggestedAsync(TestUser user, string typed)
    {
        var page = await user.Session.GetAsync("/Email/Compose?handler=Suggestions&q=" + Uri.EscapeDataString(typed));
        page.Status.ShouldBe(HttpStatusCode.OK);
        return [.. JsonDocument.Parse(page.Html).RootElement.EnumerateArray().Select(s => s.GetProperty("address").GetString()!)];
    }

    [Fact]
    public async Task an_opened_messages_sender_is_offered_below_those_written_to_and_never_the_users_own_address()
    {
        var user = await product.NewUserAsync();
        using var _ = user;
        var mailbox = await product.NewMailboxAsync();
        var sender = $"zeno-{Guid.NewGuid():N}"[..16] + "@specs.test";
        (await user.Session.SubmitAsync(AccountForms.AddPage, AccountForms.For(product, mailbox, title: "Learning"))).Status.ShouldBe(HttpStatusCode.Redirect);
        using (var client = await product.SignInAsync(mailbox))
        {
            await client.Inbox.AppendAsync(new AppendRequest(Letter("From myself", MailboxAddress.Parse(mailbox.Address)), MessageFlags.None));
            await client.Inbox.AppendAsync(new AppendRequest(Letter("From Zeno", new MailboxAddress("Zeno Received", sender)), MessageFlags.None));
        }

        var account = (await user.Session.GetAsync("/Email/Settings/Accounts")).AccountIds().Single();
        var userId = await product.UserIdAsync(user.Login);

        // Someone the user wrote to, with a name that matches the same letters.
        var writtenTo = "zeno.written@specs.test";
        await using (var write = product.Services.GetRequiredService<IDocumentStore>().LightweightSession())
        {
            write.Store(new Correspondent(Correspondents.IdOf(userId, writtenTo), userId, writtenTo, "Zeno Written", writtenTo + " zeno written", 1, DateTimeOffset.UtcNow));
            await write.SaveChangesAsync();
        }

        // Listing the folder teaches nothing; opening the messages does.
        (await user.Session.GetAsync($"/Email?account={account}&inline=true")).Status.ShouldBe(HttpStatusCode.OK);
        (await SuggestedAsync(user, "zeno")).ShouldBe([writtenTo]);
        (await user.Session.GetAsync($"/Email/Message?account={account}&folder=INBOX&uid=1")).Status.ShouldBe(HttpStatusCode.OK);
        (await user.Session.GetAsync($"/Email/Message?account={account}&folder=INBOX&uid=2")).Status.ShouldBe(HttpStatusCode.OK);
        (await user.Session.GetAsync($"/Email/Message?account={account}&folder=INBOX&uid=2")).Status.ShouldBe(HttpStatusCode.OK);

        var deadline = DateTime.UtcNow.AddSeconds(15);
        IReadOnlyList<string> offered;
        while (!(offered = await SuggestedAsync(user, "zeno")).Contains(sender))
        {
            DateTime.UtcNow.ShouldBeLessThan(deadline, "the sender of the opened message was never offered");
            await Task.Delay(100);
        }

        offered.ShouldBe([writtenTo, sender], "written to ranks above received from");
        // The learner takes the senders in the order they were opened: the own address, opened first, would be there by now.
        (await SuggestedAsync(user, mailbox.Address[..6])).ShouldNotContain(mailbox.Address);
        await using var query = product.Services.GetRequiredService<IDocumentStore>().QuerySession();
        (await query.Query<ReceivedFrom>().Where(r => r.UserId == userId).ToListAsync()).Select(r => r.Address).ShouldBe([sender], "once per address, and never the user's own");
    }
}
