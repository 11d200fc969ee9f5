using System.Net;
using Marten;
using MailAccounts.Domain.Accounts;
using MailAccounts.Infrastructure.Secrets;
using MailAccounts.Specs.Support;
using Microsoft.Extensions.DependencyInjection;

namespace MailAccounts.Specs.Integration.Accounts;

/// <summary>
/// A password replaced, or whose account is deleted, keeps no ciphertext behind: it is deleted with the event that
/// let it go, while the history keeps "password changed".
/// </summary>
[Collection(ProductCollection.Name)]
public sealed class when_a_password_is_let_go(ProductFixture product)
{
    private static string VersionIn(string html) => AccountForms.FormIn(html)["Input.Version"];

    private async Task<Account> AccountAsync(Guid accountId)
    {
        await using var session = product.Services.GetRequiredService<IDocumentStore>().QuerySession();
        return (await session.LoadAsync<Account>(accountId))!;
    }

    private async Task<bool> StoredAsync(Guid secretId)
    {
        await using var session = product.Services.GetRequiredService<IDocumentStore>().QuerySession();
        return await session.LoadAsync<ProtectedSecret>(secretId) is not null;
    }

    [Fact]
    public async Task when_a_password_is_replaced_or_its_account_deleted_its_ciphertext_is_deleted()
    {
        using var user = await product.NewUserAsync();
        var form = AccountForms.Valid("Let go " + Guid.NewGuid().ToString("N")[..6], "letgo@example.com");
        (await user.Session.SubmitAsync(AccountForms.AddPage, form)).Status.ShouldBe(HttpStatusCode.Redirect);
        var list = (await user.Session.GetAsync("/Email/Settings/Accounts")).Html;
        var edit = AccountForms.EditPathIn(list);
        var accountId = Guid.Parse(edit[^36..]);
        var first = (await AccountAsync(accountId)).Incoming!.PasswordSecretId;
        (await StoredAsync(first)).ShouldBeTrue();

        var version = VersionIn((await user.Session.GetAsync(edit)).Html);
        (await user.Session.SubmitAsync(edit, form.With("Input.Password", "a-replacing-password").With("Input.Version", version)))
            .Status.ShouldBe(HttpStatusCode.Redirect);

        var second = (await AccountAsync(accountId)).Incoming!.PasswordSecretId;
        second.ShouldNotBe(first);
        (await StoredAsync(first)).ShouldBeFalse("the replaced password's ciphertext");
        (await StoredAsync(second)).ShouldBeTrue();
        (await user.Session.GetAsync(AccountForms.HistoryPathIn(list))).Html.ShouldContain("password changed");

        (await user.Session.SubmitAsync(edit.Replace("/Edit/", "/Delete/", StringComparison.Ordinal), [])).Status.ShouldBe(HttpStatusCode.Redirect);

        (await StoredAsync(second)).ShouldBeFalse("the deleted account's ciphertext");
    }
}
