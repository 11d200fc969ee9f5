using System.Net;
using MailAccounts.Specs.Support;

namespace MailAccounts.Specs.Integration.Settings;

/// <summary>
/// A row's Check button on Settings » Accounts checks that account alone: its result is recorded and shown in its row,
/// and the user's other accounts are not signed in to.
/// </summary>
[Collection(ProductCollection.Name)]
public sealed class when_check_is_pressed_on_one_account(ProductFixture product)
{
    private const string Page = "/Email/Settings/Accounts";

    [Fact]
    public async Task only_that_account_is_checked_and_the_page_says_how_its_check_went()
    {
        using var user = await product.NewUserAsync();
        var userId = await product.UserIdAsync(user.Login);
        // Accounts are checked in the order of their titles: a check of every account would record "A other" before "Z checked".
        var other = await product.AccountSendingAsAsync(user, await product.NewMailboxAsync(), "A other");
        var checkedOne = await product.AccountSendingAsAsync(user, await product.NewMailboxAsync(), "Z checked");

        var list = await user.Session.GetAsync(Page);
        list.Dom.One($"#accounts tr[data-account='{checkedOne}'] button[data-check-account='{checkedOne}']").GetAttribute("form").ShouldBe("check-mail");
        var pressed = await user.Session.SubmitAsync(Page, new() { ["account"] = checkedOne.ToString() }, handler: "CheckMail");

        pressed.Status.ShouldBe(HttpStatusCode.Redirect);
        var status = await MailChecks.WaitForStatusAsync(product, userId);
        status.Id.ShouldBe(checkedOne);
        status.Succeeded.ShouldBeTrue(status.Detail);
        (await MailChecks.StatusesAsync(product, userId)).ShouldHaveSingleItem().Id.ShouldBe(checkedOne);

        // The address it was sent back to names the check; the page there says that account was checked.
        var after = await user.Session.GetAsync(pressed.Location!.ToString());
        var notice = after.Dom.One("[data-check]");
        notice.GetAttribute("data-check").ShouldBe("done");
        notice.GetAttribute("data-check-one").ShouldBe(checkedOne.ToString());
        after.Dom.One($"#accounts tr[data-account='{checkedOne}'] td.status").GetAttribute("data-check-state").ShouldBe("ok");
        after.Dom.One($"#accounts tr[data-account='{other}'] td.status").GetAttribute("data-check-state").ShouldBe("none");
        after.Dom.Has("#accounts tr[data-checking]").ShouldBeFalse();

        // The part the page's script asks for while a check runs is the same notice and rows, without the layout.
        var live = await user.Session.GetAsync($"{Page}?handler=Live&checkedSince={pressed.Location!.ToString().Split("checkedSince=")[1].Split('&')[0]}&account={checkedOne}");
        live.Status.ShouldBe(HttpStatusCode.OK);
        live.Dom.One("#accounts-live [data-check]").GetAttribute("data-check").ShouldBe("done");
        live.Dom.Has("#culture-switch").ShouldBeFalse();
    }

    [Fact]
    public async Task an_account_of_someone_else_is_not_checked()
    {
        using var owner = await product.NewUserAsync();
        var ownersAccount = await product.AccountSendingAsAsync(owner, await product.NewMailboxAsync(), "Owner box");
        var ownerId = await product.UserIdAsync(owner.Login);
        using var stranger = await product.NewUserAsync();
        var strangersAccount = await product.AccountSendingAsAsync(stranger, await product.NewMailboxAsync(), "Stranger box");
        var strangerId = await product.UserIdAsync(stranger.Login);

        // Named by the stranger, the owner's account is not there (404, as every page answers) and is not checked; the
        // stranger's own check after it shows the queue would have passed it.
        (await stranger.Session.SubmitAsync(Page, new() { ["account"] = ownersAccount.ToString() }, handler: "CheckMail")).Status.ShouldBe(HttpStatusCode.NotFound);
        (await stranger.Session.SubmitAsync(Page, new() { ["account"] = strangersAccount.ToString() }, handler: "CheckMail")).Status.ShouldBe(HttpStatusCode.Redirect);

        (await MailChecks.WaitForStatusAsync(product, strangerId)).Id.ShouldBe(strangersAccount);
        (await MailChecks.StatusesAsync(product, ownerId)).ShouldBeEmpty();
    }
}
