using System.Net;
using MailAccounts.Specs.Support;

namespace MailAccounts.Specs.Integration.Accounts;

/// <summary>
/// "Stop this account being used, saying why" holds until an administrator lifts it: the owner can neither delete the
/// deactivated account nor add the same mailbox again as a fresh, active one, and is told why on the page.
/// </summary>
[Collection(ProductCollection.Name)]
public sealed class when_an_administrator_deactivated_a_mailbox(ProductFixture product)
{
    [Fact]
    public async Task its_owner_cannot_bring_it_back_by_deleting_it_and_adding_the_mailbox_again()
    {
        using var admin = await product.AdministratorAsync();
        using var owner = await product.NewUserAsync();
        var ownerId = await product.UserIdAsync(owner.Login);
        var mailbox = await product.NewMailboxAsync();
        var account = await product.AccountSendingAsAsync(owner, mailbox, "Work " + Guid.NewGuid().ToString("N")[..6]);
        (await admin.SubmitAsync("/Admin/Accounts", new() { ["id"] = account.ToString(), ["reason"] = "Left the company" }, "Deactivate"))
            .Status.ShouldBe(HttpStatusCode.Redirect);

        var deleted = await owner.Session.SubmitAsync($"/Email/Settings/Accounts/Delete/{account}", []);

        deleted.Status.ShouldBe(HttpStatusCode.OK);
        deleted.Html.ShouldContain("An administrator deactivated this account, so it cannot be deleted");
        (await product.AccountsOfAsync(ownerId)).ShouldHaveSingleItem().DeactivationReason.ShouldBe("Left the company");

        var added = await owner.Session.SubmitAsync(AccountForms.AddPage, AccountForms.SendingAs(product, mailbox, "Work again"));

        added.Status.ShouldBe(HttpStatusCode.OK);
        added.Html.ShouldContain("An administrator deactivated your account for this mailbox, so it cannot be added again");
        (await product.AccountsOfAsync(ownerId)).ShouldHaveSingleItem().Id.ShouldBe(account);

        // Once an administrator lifts it, the account is the owner's to delete again.
        (await admin.SubmitAsync("/Admin/Accounts", new() { ["id"] = account.ToString() }, "Reactivate")).Status.ShouldBe(HttpStatusCode.Redirect);
        (await owner.Session.SubmitAsync($"/Email/Settings/Accounts/Delete/{account}", [])).Status.ShouldBe(HttpStatusCode.Redirect);
        (await product.AccountsOfAsync(ownerId)).ShouldBeEmpty();
    }
}
