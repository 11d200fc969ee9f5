using System.Net;
using System.Text.RegularExpressions;

namespace MailAccounts.Specs.Support;

public static class GroupAccounts
{
    /// <summary>An administrator connects a mailbox of the private Dovecot as a group account, sending through the private Postfix.</summary>
    public static async Task<Guid> GroupAccountAsync(this ProductFixture product, UserSession administrator, Mailbox mailbox, string title)
    {
        var form = AccountForms.SendingAs(product, mailbox, title: title).With("Input.Group", "true");
        var saved = await administrator.SubmitAsync("/Email/Settings/Accounts/Add?group=true", form, postTo: "/Email/Settings/Accounts/Add");
        if (saved.Status != HttpStatusCode.Redirect)
        {
            throw new InvalidOperationException("The group account was not saved: " + saved.Html);
        }

        var list = (await administrator.GetAsync("/Admin/Accounts")).Html;
        var row = Regex.Match(list, $"<tr data-account=\"([0-9a-f-]{{36}})\">\\s*<td>{Regex.Escape(title)}</td>");
        return Guid.Parse(row.Groups[1].Value);
    }

    public static async Task GrantAsync(this ProductFixture product, UserSession administrator, Guid accountId, string login) =>
        (await administrator.SubmitAsync($"/Admin/Accounts/Access/{accountId}", new() { ["userId"] = (await product.UserIdAsync(login)).ToString() }, "Grant"))
            .Status.ShouldBe(HttpStatusCode.Redirect);

    public static async Task RevokeAsync(this ProductFixture product, UserSession administrator, Guid accountId, string login) =>
        (await administrator.SubmitAsync($"/Admin/Accounts/Access/{accountId}", new() { ["userId"] = (await product.UserIdAsync(login)).ToString() }, "Revoke"))
            .Status.ShouldBe(HttpStatusCode.Redirect);
}
