using System.Net;
using MailKit;
using MailAccounts.Domain.Accounts;
using MailAccounts.Specs.Support;
using MimeKit;

namespace MailAccounts.Specs.Integration.Access;

[Collection(ProductCollection.Name)]
public sealed class when_administrators_share_group_accounts(ProductFixture product)
{
    private async Task<Mailbox> MailboxWithAsync(string subject)
    {
        var mailbox = await product.NewMailboxAsync();
        var message = new MimeMessage { Subject = subject, Date = DateTimeOffset.UtcNow };
        message.From.Add(MailboxAddress.Parse("customer@specs.test"));
        var body = new BodyBuilder { TextBody = "Hello" };
        body.Attachments.Add("order.txt", "order"u8.ToArray());
        message.Body = body.ToMessageBody();
        using var client = await product.SignInAsync(mailbox);
        await client.Inbox.AppendAsync(new AppendRequest(message, MessageFlags.None, message.Date));
        return mailbox;
    }

    [Fact]
    public async Task a_granted_user_reads_the_group_mail_beside_their_own_without_its_settings_and_loses_it_at_once_when_revoked()
    {
        using var admin = await product.AdministratorAsync();
        var title = "Sales " + Guid.NewGuid().ToString("N")[..6];
        var group = await product.GroupAccountAsync(admin, await MailboxWithAsync("Order 1001"), title);
        using var user = await product.NewUserAsync();
        await product.AccountSendingAsAsync(user, await product.NewMailboxAsync(), "My own");
        using var outsider = await product.NewUserAsync();

        (await user.Session.GetAsync($"/Email?account={group}")).Status.ShouldBe(HttpStatusCode.NotFound);
        await product.GrantAsync(admin, group, user.Login);

        var client = (await user.Session.GetAsync("/Email")).Dom;
        client.Texts("a[data-account]").ShouldBe([title, "My own"], ignoreOrder: true);
        var inbox = await user.Session.GetAsync($"/Email?account={group}");
        inbox.Subjects().ShouldContain("Order 1001");
        var message = $"/Email/Message?account={group}&folder=INBOX&uid=1";
        var attachment = $"/Email/Message?handler=Attachment&account={group}&folder=INBOX&uid=1&index=0";
        (await user.Session.GetAsync(message)).Status.ShouldBe(HttpStatusCode.OK);
        (await user.Session.GetAsync(attachment)).Status.ShouldBe(HttpStatusCode.OK);
        (await user.Session.GetAsync($"/Email/Compose?account={group}")).Status.ShouldBe(HttpStatusCode.OK);

        var settings = (await user.Session.GetAsync("/Email/Settings/Accounts")).Dom;
        settings.One($"#accounts tr[data-account=\"{group}\"]").TextContent.ShouldContain(title);
        settings.Has($"a[href=\"/Email/Settings/Accounts/Edit/{group}\"]").ShouldBeFalse();
        foreach (var path in new[] { $"/Email/Settings/Accounts/Edit/{group}", $"/Email/Settings/Accounts/History/{group}", $"/Email/Settings/Accounts/Delete/{group}" })
        {
            (await user.Session.GetAsync(path)).Status.ShouldBe(HttpStatusCode.NotFound, path);
        }

        (await outsider.Session.GetAsync(message)).Status.ShouldBe(HttpStatusCode.NotFound);
        (await outsider.Session.GetAsync("/Email")).Dom.Texts("a[data-account]").ShouldNotContain(title);

        await product.RevokeAsync(admin, group, user.Login);
        foreach (var path in new[] { $"/Email?account={group}", message, attachment, $"/Email/Compose?account={group}", $"/Email/Settings/Folders/{group}" })
        {
            (await user.Session.GetAsync(path)).Status.ShouldBe(HttpStatusCode.NotFound, path);
        }

        (await user.Session.GetAsync("/Email")).Dom.Texts("a[data-account]").ShouldBe(["My own"]);
        var history = await admin.GetAsync($"/Email/Settings/Accounts/History/{group}");
        history.Events().Select(e => e.Event).ShouldContain(nameof(AccessGranted));
        history.Events().Select(e => e.Event).ShouldContain(nameof(AccessRevoked));
        // The change names the person by name, not by id.
        history.Dom.Texts("#history [data-change] .setting").ShouldContain(setting => setting.EndsWith($": Test {user.Login}"));
    }

    [Fact]
    public async Task a_user_cannot_grant_access_create_a_group_account_or_post_a_form_for_another_users_account()
    {
        using var admin = await product.AdministratorAsync();
        var group = await product.GroupAccountAsync(admin, await product.NewMailboxAsync(), "Support " + Guid.NewGuid().ToString("N")[..6]);
        using var user = await product.NewUserAsync();
        using var victim = await product.NewUserAsync();
        var victimsMailbox = await product.NewMailboxAsync();
        var victimsAccount = await product.AccountSendingAsAsync(victim, victimsMailbox, "Victims box");

        // The administrators' pages refuse a user, whatever the form says.
        var token = Form.Of((await user.Session.GetAsync("/Email/Settings/Accounts/Add")).Html, "form[data-account-form]", "/Email/Settings/Accounts/Add")["__RequestVerificationToken"];
        var grant = await user.Session.PostAsync($"/Admin/Accounts/Access/{group}?handler=Grant", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["userId"] = (await product.UserIdAsync(user.Login)).ToString(), ["__RequestVerificationToken"] = token,
        }));
        grant.Status.ShouldBeOneOf(HttpStatusCode.NotFound, HttpStatusCode.Forbidden, HttpStatusCode.Redirect);
        (grant.Location?.ToString() ?? "").ShouldNotContain("/Admin");
        (await user.Session.GetAsync($"/Email?account={group}")).Status.ShouldBe(HttpStatusCode.NotFound);

        // Asking for a group account on the account form creates nothing.
        (await user.Session.GetAsync("/Email/Settings/Accounts/Add?group=true")).Status.ShouldBe(HttpStatusCode.NotFound);
        var sneaky = await user.Session.SubmitAsync(AccountForms.AddPage, AccountForms.For(product, await product.NewMailboxAsync(), title: "Sneaky").With("Input.Group", "true"));
        sneaky.Status.ShouldBe(HttpStatusCode.NotFound);
        (await product.AccountsOfAsync(await product.UserIdAsync(user.Login))).ShouldBeEmpty();

        // The user's own form, posted to another user's account: nothing changes.
        var form = AccountForms.For(product, victimsMailbox, title: "Hijacked").With("Input.Version", "1");
        var hijack = await user.Session.SubmitAsync(AccountForms.AddPage, form, postTo: $"/Email/Settings/Accounts/Edit/{victimsAccount}");
        hijack.Status.ShouldBe(HttpStatusCode.NotFound);
        (await product.AccountsOfAsync(await product.UserIdAsync(victim.Login))).Single().Title.ShouldBe("Victims box");
        var delete = await user.Session.SubmitAsync(AccountForms.AddPage, [], postTo: $"/Email/Settings/Accounts/Delete/{victimsAccount}");
        delete.Status.ShouldBe(HttpStatusCode.NotFound);
        (await product.AccountsOfAsync(await product.UserIdAsync(victim.Login))).ShouldHaveSingleItem();
    }

    [Fact]
    public async Task an_administrator_sees_that_an_individual_account_exists_and_may_deactivate_it_but_never_reads_it()
    {
        using var admin = await product.AdministratorAsync();
        using var owner = await product.NewUserAsync();
        var title = "Private " + Guid.NewGuid().ToString("N")[..6];
        var account = await product.AccountSendingAsAsync(owner, await MailboxWithAsync("Personal letter"), title);

        (await admin.GetAsync("/Admin/Accounts")).Dom.One($"tr[data-account=\"{account}\"]").TextContent.ShouldContain(title);
        foreach (var path in new[]
                 {
                     $"/Email?account={account}", $"/Email/Message?account={account}&folder=INBOX&uid=1",
                     $"/Email/Message?handler=Attachment&account={account}&folder=INBOX&uid=1&index=0", $"/Email/Compose?account={account}",
                     $"/Email/Settings/Accounts/Edit/{account}", $"/Email/Settings/Folders/{account}", $"/Email/Settings/Accounts/Delete/{account}",
                 })
        {
            (await admin.GetAsync(path)).Status.ShouldBe(HttpStatusCode.NotFound, path);
        }

        var refused = await admin.SubmitAsync("/Admin/Accounts", new() { ["id"] = account.ToString(), ["reason"] = " " }, "Deactivate");
        refused.Status.ShouldBe(HttpStatusCode.OK);
        refused.Dom.Texts("[role=alert]").ShouldContain(product.Word(AccountViolations.ReasonRequired));
        (await admin.SubmitAsync("/Admin/Accounts", new() { ["id"] = account.ToString(), ["reason"] = "Left the company" }, "Deactivate"))
            .Status.ShouldBe(HttpStatusCode.Redirect);

        (await owner.Session.GetAsync($"/Email?account={account}")).Status.ShouldBe(HttpStatusCode.NotFound);
        (await owner.Session.GetAsync("/Email/Settings/Accounts")).Dom.One($"#accounts tr[data-account=\"{account}\"] [data-deactivated]")
            .GetAttribute("data-deactivated").ShouldBe("Left the company");
        var deactivated = (await product.EventsOfAsync(account)).Select(e => e.Data).OfType<AccountDeactivated>().Single();
        deactivated.Reason.ShouldBe("Left the company");
        deactivated.By.ShouldBe(await product.UserIdAsync("admin"));

        (await admin.SubmitAsync("/Admin/Accounts", new() { ["id"] = account.ToString() }, "Reactivate")).Status.ShouldBe(HttpStatusCode.Redirect);
        (await owner.Session.GetAsync($"/Email?account={account}")).Subjects().ShouldContain("Personal letter");
    }
}
