using System.Net;
using MailKit;
using MailAccounts.Domain.Sending;
using MailAccounts.Infrastructure.Sending;
using MailAccounts.Specs.Support;

namespace MailAccounts.Specs.Integration.Sending;

/// <summary>
/// The message waits for the outgoing server (this product's Postfix is stopped), the sender's access changes, the
/// server comes back: the next attempt judges access as it is then. Stops Postfix, hence a product of its own.
/// </summary>
[Collection(SharedSettingsCollection.Name)]
public sealed class when_access_changes_while_mail_is_queued(ProductFixture product)
{
    [Fact]
    public async Task a_revoked_grant_puts_the_message_in_not_sent_and_nothing_is_sent()
    {
        using var admin = await product.AdministratorAsync();
        using var user = await product.NewUserAsync();
        var group = await product.GroupAccountAsync(admin, await product.NewMailboxAsync(), "Shared desk " + Guid.NewGuid().ToString("N")[..6]);
        await product.GrantAsync(admin, group, user.Login);

        await QueuedThenAsync(user, group, () => product.RevokeAsync(admin, group, user.Login),
            "Outbox.Refused.AccessRevoked", "Not sent: you may no longer send from this account.",
            "Не отправлено: вам больше нельзя отправлять с этой учётной записи.");
    }

    [Fact]
    public async Task a_deactivated_account_puts_the_message_in_not_sent_and_nothing_is_sent()
    {
        using var admin = await product.AdministratorAsync();
        using var user = await product.NewUserAsync();
        var account = await product.AccountSendingAsAsync(user, await product.NewMailboxAsync(), "Deactivated later");

        await QueuedThenAsync(user, account,
            async () => (await admin.SubmitAsync("/Admin/Accounts", new() { ["id"] = account.ToString(), ["reason"] = "Left the company" }, "Deactivate"))
                .Status.ShouldBe(HttpStatusCode.Redirect),
            "Outbox.Refused.AccountDeactivated", "Not sent: an administrator deactivated the account.",
            "Не отправлено: администратор отключил учётную запись.");
    }

    [Fact]
    public async Task a_deactivated_user_has_the_message_put_in_not_sent_and_nothing_is_sent()
    {
        using var admin = await product.AdministratorAsync();
        using var user = await product.NewUserAsync();
        var account = await product.AccountSendingAsAsync(user, await product.NewMailboxAsync(), "Sender leaves");

        await QueuedThenAsync(user, account,
            async () => await admin.SubmitAsync("/Admin/Users", new() { ["id"] = (await product.UserIdAsync(user.Login)).ToString(), ["active"] = "false" }, "SetActive"),
            "Outbox.Refused.UserDeactivated", null, null);
    }

    [Fact]
    public async Task a_deleted_account_puts_the_message_in_not_sent_and_nothing_is_sent()
    {
        using var user = await product.NewUserAsync();
        var account = await product.AccountSendingAsAsync(user, await product.NewMailboxAsync(), "Deleted later");

        await QueuedThenAsync(user, account,
            async () => (await user.Session.SubmitAsync(AccountForms.AddPage, [], postTo: $"/Email/Settings/Accounts/Delete/{account}"))
                .Status.ShouldBe(HttpStatusCode.Redirect),
            "Outbox.Refused.AccountDeleted", "Not sent: the account was deleted.", "Не отправлено: учётная запись удалена.");
    }

    private async Task QueuedThenAsync(TestUser user, Guid account, Func<Task> change, string key, string? english, string? russian)
    {
        var recipient = await product.NewMailboxAsync();
        var form = Form.Of((await user.Session.GetAsync($"/Email/Compose?account={account}")).Html, "form.compose");
        form["Input.To"] = recipient.Address;
        form["Input.Subject"] = "Queued before the change";
        var mailId = Composing.MailIdOf(form);

        await product.MailServer.StopPostfixAsync();
        try
        {
            (await user.Session.PostAsync(form)).Status.ShouldBe(HttpStatusCode.Redirect);
            await product.WaitForOutgoingAsync(mailId, m => m is { Attempts: >= 1, Sending: false });
            await change();
        }
        finally
        {
            await product.MailServer.StartPostfixAsync();
        }

        var mail = await product.WaitForOutgoingAsync(mailId, m => m?.Status == OutgoingMailStatus.NotSent);
        mail!.ProblemKey.ShouldBe(key);
        var failure = (await product.EventsOfAsync(account)).Select(e => e.Data).OfType<MailNotSent>().ShouldHaveSingleItem();
        failure.Permanent.ShouldBeTrue();
        (await product.EventsOfAsync(account)).Select(e => e.Data).OfType<MailSent>().ShouldBeEmpty();
        using (var client = await product.SignInAsync(recipient))
        {
            await client.Inbox.OpenAsync(FolderAccess.ReadOnly);
            client.Inbox.Count.ShouldBe(0);
        }

        if (english is not null)
        {
            var outbox = (await user.Session.GetAsync("/Email/Outbox")).Html;
            outbox.ShouldContain(english);
            outbox.ShouldNotContain("The server said: " + english);
            (await user.Session.SubmitAsync("/Email/Outbox", new() { ["culture"] = "ru", ["returnUrl"] = "/Email/Outbox" }, postTo: "/Culture"))
                .Status.ShouldBe(HttpStatusCode.Redirect);
            (await user.Session.GetAsync("/Email/Outbox")).Html.ShouldContain(russian!);
        }
    }
}
