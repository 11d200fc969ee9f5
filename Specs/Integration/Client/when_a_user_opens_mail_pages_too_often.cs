using System.Net;
using System.Text.RegularExpressions;
using MailAccounts.Specs.Support;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace MailAccounts.Specs.Integration.Client;

/// <summary>
/// Pages that sign in to a mail server (the message list, a message, the folder list) are limited per user and
/// minute (<c>Mail:ReadsPerMinute</c>), so that a script cannot make the product log in to a shared mailbox again and
/// again (security review, finding 15). Here on a second host that allows two a minute.
/// </summary>
[Collection(MailboxCollection.Name)]
public sealed class when_a_user_opens_mail_pages_too_often(ProductFixture product)
{
    [Theory]
    [InlineData("/Email?account={0}")]
    [InlineData("/Email/Settings/Folders/{0}")]
    [InlineData("/Email/Message?account={0}&folder=INBOX&uid=1")]
    public async Task the_page_asks_to_wait_once_the_minutes_sign_ins_are_used(string path)
    {
        var mailbox = await product.NewMailboxAsync();
        using var owner = await product.NewUserAsync();
        (await owner.Session.SubmitAsync(AccountForms.AddPage, AccountForms.For(product, mailbox))).Status.ShouldBe(HttpStatusCode.Redirect);
        var account = (await owner.Session.GetAsync("/Email/Settings/Accounts")).AccountIds().Single();
        await using var second = product.CreateHost();
        await using var limited = second.WithWebHostBuilder(builder => builder.UseSetting("Mail:ReadsPerMinute", "2"));
        using var session = new UserSession(limited.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false }));
        await session.SignInAsync(owner.Login, owner.Password);
        var url = string.Format(System.Globalization.CultureInfo.InvariantCulture, path, account);

        var allowed = new[] { await session.GetAsync(url), await session.GetAsync(url) };
        var third = await session.GetAsync(url);

        allowed.ShouldAllBe(p => p.Status != HttpStatusCode.TooManyRequests);
        third.Status.ShouldBe(HttpStatusCode.TooManyRequests);
        third.Dom.Body.ShouldContain(product.Word("Mail.TooManyReads"));
    }
}
