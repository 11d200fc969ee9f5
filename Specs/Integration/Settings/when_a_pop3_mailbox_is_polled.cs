using System.Net;
using Marten;
using MailAccounts.Infrastructure.Mail;
using MailAccounts.Infrastructure.Settings;
using MailAccounts.Specs.Support;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using Wolverine;

namespace MailAccounts.Specs.Integration.Settings;

/// <summary>
/// POP3 has no IDLE: its mailbox is polled by the scheduled check at the user's check interval (and by Check mail).
/// A message delivered to a POP3 mailbox is in the account's count after the next check.
/// </summary>
[Collection(ProductCollection.Name)]
public sealed class when_a_pop3_mailbox_is_polled(ProductFixture product)
{
    [Fact]
    public async Task a_message_delivered_to_the_mailbox_is_counted_by_the_next_scheduled_check()
    {
        using var user = await product.NewUserAsync();
        var mailbox = await product.NewMailboxAsync();
        (await user.Session.SubmitAsync(AccountForms.AddPage, AccountForms.For(product, mailbox, protocol: "Pop3", title: "Pop box"))).Status.ShouldBe(HttpStatusCode.Redirect);
        var userId = await product.UserIdAsync(user.Login);
        var interval = new Dictionary<string, string>
        {
            ["Input.CheckIntervalMinutes"] = "5", ["Input.PlainText"] = "false", ["Input.Charset"] = "utf-8", ["Input.DefaultSignatureId"] = "",
            ["Input.SignatureBeforeQuote"] = "false", ["Input.PageSize"] = "50",
        };
        await user.Session.SubmitAsync("/Email/Settings/General", interval);
        var chain = await ChainAsync(userId);

        // The first slot finds the mailbox empty.
        await CheckAsync(new CheckMail(userId, 5, chain, chain.AddMinutes(5)));
        (await StatusAsync(userId)).Unread.ShouldBe(0);

        var message = new MimeMessage { Subject = "Polled over POP3", Date = DateTimeOffset.UtcNow };
        message.From.Add(MailboxAddress.Parse("boris@specs.test"));
        message.To.Add(MailboxAddress.Parse(mailbox.Address));
        message.Body = new TextPart("plain") { Text = "Hello" };
        await product.DeliverAsync(mailbox, [message]);

        // The next slot counts it (POP3 keeps no read marks: every message in the mailbox counts as new).
        await CheckAsync(new CheckMail(userId, 5, chain, chain.AddMinutes(10)));
        var status = await StatusAsync(userId);
        status.Succeeded.ShouldBeTrue(status.Detail);
        status.Checks.ShouldBe(2);
        status.Folders.ShouldHaveSingleItem().Total.ShouldBe(1);
        (await user.Session.GetAsync("/Email/Settings/Accounts")).Dom.One("#accounts tr[data-title='Pop box'] td.status").GetAttribute("data-unread").ShouldBe("1");
    }

    private async Task CheckAsync(object message)
    {
        await using var scope = product.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<IMessageBus>().InvokeAsync(message);
    }

    private async Task<DateTimeOffset> ChainAsync(Guid userId)
    {
        await using var session = product.Services.GetRequiredService<IDocumentStore>().QuerySession();
        return (await MailSettingsQueries.ForUserAsync(session, userId, CancellationToken.None)).CheckIntervalChangedAt!.Value;
    }

    private async Task<MailboxStatus> StatusAsync(Guid userId)
    {
        await using var session = product.Services.GetRequiredService<IDocumentStore>().QuerySession();
        return (await session.Query<MailboxStatus>().Where(s => s.UserId == userId).ToListAsync()).ShouldHaveSingleItem();
    }
}
