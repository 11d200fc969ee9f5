using System.Text.RegularExpressions;
using JasperFx.Events;
using Marten;
using MailAccounts.Infrastructure.Sending;
using Microsoft.Extensions.DependencyInjection;

namespace MailAccounts.Specs.Support;

public static partial class Composing
{
    /// <summary>Connects the mailbox as an account that sends through the private Postfix with its own login (STARTTLS).</summary>
    public static async Task<Guid> AccountSendingAsAsync(this ProductFixture product, TestUser user, Mailbox mailbox, string title, string forwardTo = "")
    {
        var form = AccountForms.SendingAs(product, mailbox, title, forwardTo)
            .With("Input.SentFolder", "Sent")
            .With("Input.TrashFolder", "Trash");
        var saved = await user.Session.SubmitAsync(AccountForms.AddPage, form);
        if (saved.Status != System.Net.HttpStatusCode.Redirect)
        {
            throw new InvalidOperationException("The account was not saved: " + saved.Html);
        }

        var list = (await user.Session.GetAsync("/Email/Settings/Accounts")).Html;
        var row = Regex.Match(list, $"/Email/Settings/Accounts/Edit/([0-9a-f-]{{36}})\">{Regex.Escape(title)}<");
        return Guid.Parse(row.Groups[1].Value);
    }

    /// <summary>The outbox document of a message, waiting until it satisfies the condition (it disappears once sent).</summary>
    public static async Task<OutgoingMail?> WaitForOutgoingAsync(this ProductFixture product, Guid mailId, Func<OutgoingMail?, bool> condition, int seconds = 30)
    {
        var store = product.Services.GetRequiredService<IDocumentStore>();
        for (var waited = 0; waited < seconds * 10; waited++)
        {
            await using var session = store.QuerySession();
            var mail = await session.LoadAsync<OutgoingMail>(mailId);
            if (condition(mail))
            {
                return mail;
            }

            await Task.Delay(100);
        }

        var log = string.Join(Environment.NewLine, product.Logs.Lines.Where(l => l.Contains(mailId.ToString(), StringComparison.Ordinal) || l.Contains("DeliverMail", StringComparison.Ordinal)).TakeLast(30));
        throw new TimeoutException($"Outgoing mail {mailId} did not reach the expected state within {seconds} seconds. The host logged:{Environment.NewLine}{log}");
    }

    public static async Task<IReadOnlyList<IEvent>> EventsOfAsync(this ProductFixture product, Guid streamId)
    {
        await using var session = product.Services.GetRequiredService<IDocumentStore>().QuerySession();
        return await session.Events.FetchStreamAsync(streamId);
    }

    /// <summary>The id of the draft the compose form is writing.</summary>
    public static Guid MailIdOf(Form form) => Guid.Parse(form["Input.MailId"]);
}
