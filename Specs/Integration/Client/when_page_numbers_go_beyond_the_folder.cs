using System.Net;
using System.Text.RegularExpressions;
using MailKit;
using MailAccounts.Specs.Support;
using MimeKit;

namespace MailAccounts.Specs.Integration.Client;

/// <summary>
/// A page number is bounded by the folder's size before anything is fetched (security review, finding 15): page p of
/// inboxes shown together used to ask every server for p × size messages, and overflowed for a large p.
/// </summary>
[Collection(MailboxCollection.Name)]
public sealed class when_page_numbers_go_beyond_the_folder(ProductFixture product)
{
    private static MimeMessage Message(string subject, int daysAgo)
    {
        var message = new MimeMessage { Subject = subject, Date = DateTimeOffset.UtcNow.AddDays(-daysAgo) };
        message.From.Add(new MailboxAddress("Boris", "boris@specs.test"));
        message.To.Add(MailboxAddress.Parse("anna@specs.test"));
        message.Body = new TextPart("plain") { Text = "Hello" };
        return message;
    }

    private async Task<(TestUser User, string[] Accounts)> TwoInboxesAsync()
    {
        var user = await product.NewUserAsync();
        foreach (var (title, subjects) in new[] { ("First box", new[] { ("A newest", 1), ("A oldest", 5) }), ("Second box", new[] { ("B middle", 3) }) })
        {
            var mailbox = await product.NewMailboxAsync();
            using (var client = await product.SignInAsync(mailbox))
            {
                foreach (var (subject, daysAgo) in subjects)
                {
                    var message = Message(subject, daysAgo);
                    await client.Inbox.AppendAsync(new AppendRequest(message, MessageFlags.None, message.Date));
                }
            }

            (await user.Session.SubmitAsync(AccountForms.AddPage, AccountForms.For(product, mailbox, title: title))).Status.ShouldBe(HttpStatusCode.Redirect);
        }

        var ids = (await user.Session.GetAsync("/Email/Settings/Accounts")).AccountIds().ToArray();
        return (user, ids);
    }

    [Theory]
    [InlineData("100000000")]
    [InlineData("2147483647")]
    [InlineData("0")]
    [InlineData("-5")]
    public async Task inboxes_shown_together_show_their_nearest_page(string p)
    {
        var (user, accounts) = await TwoInboxesAsync();
        using var _ = user;

        var page = await user.Session.GetAsync($"/Email?accounts={string.Join(',', accounts)}&p={p}");

        page.Status.ShouldBe(HttpStatusCode.OK);
        page.Subjects().ShouldBe(["A newest", "B middle", "A oldest"]);
    }

    [Fact]
    public async Task one_folder_shows_its_last_page_for_a_number_past_it()
    {
        var (user, accounts) = await TwoInboxesAsync();
        using var _ = user;

        var page = await user.Session.GetAsync($"/Email?account={accounts[0]}&p=2147483647");

        page.Status.ShouldBe(HttpStatusCode.OK);
        page.Subjects().ShouldBe(["A newest", "A oldest"]);
    }
}
