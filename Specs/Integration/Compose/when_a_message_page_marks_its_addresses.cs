using System.Net;
using MailKit;
using MailAccounts.Specs.Support;
using MimeKit;

namespace MailAccounts.Specs.Integration.Compose;

/// <summary>
/// The live message page and the imported letter's page show each From, To and Cc address with its invalid mark, and
/// link it to the contact holding it or to adding one. Through the real host, on the private Dovecot.
/// </summary>
[Collection(SendingCollection.Name)]
public sealed class when_a_message_page_marks_its_addresses(ProductFixture product)
{
    private sealed record Seeded(string Token, Guid Boris, string BorisAddress, Guid Vera, string VeraAddress, string Stranger);

    private async Task<Seeded> SeedAsync()
    {
        var token = ContactSeeds.Token();
        var borisAddress = $"boris.{token}@specs.test";
        var veraAddress = $"vera.{token}@specs.test";
        var boris = await product.ContactAsync($"Boris {token}", "Acme", $"other.{token}@specs.test", borisAddress);
        var vera = await product.ContactAsync($"Vera {token}", "", veraAddress);
        await product.MarkInvalidAsync(borisAddress, diagnostic: "550 5.1.1 User unknown");
        return new Seeded(token, boris, borisAddress, vera, veraAddress, $"New.Person.{token}@specs.test");
    }

    private static MimeMessage Letter(Seeded seeded, string own)
    {
        var message = new MimeMessage { Subject = "Addresses " + seeded.Token, Date = DateTimeOffset.UtcNow.AddMinutes(-5) };
        // Written in another case than the contact holds it: the same address.
        message.From.Add(new MailboxAddress("Boris", seeded.BorisAddress.ToUpperInvariant()));
        message.To.Add(new MailboxAddress("New Person & Co", seeded.Stranger));
        message.To.Add(new MailboxAddress("Me", own));
        message.Cc.Add(new MailboxAddress("Vera", seeded.VeraAddress));
        message.Body = new TextPart("plain") { Text = "Hello" };
        return message;
    }

    private void ShowsMarksAndLinks(Page page, Seeded seeded, string own)
    {
        page.Status.ShouldBe(HttpStatusCode.OK);
        var from = page.Dom.One("dd[data-from] [data-address]");
        from.QuerySelector(".address-invalid")!.TextContent.ShouldContain(product.Word("Verification.Invalid", "en"));
        from.QuerySelector(".address-invalid")!.GetAttribute("title")!.ShouldContain("5.1.1 550 5.1.1 User unknown");
        from.QuerySelector("a[data-contact-link]")!.GetAttribute("href").ShouldBe($"/Contacts/Contact?id={seeded.Boris}");
        from.QuerySelector("a[data-add-contact]").ShouldBeNull();

        var to = page.Dom.All("dd[data-to] [data-address]")[0];
        to.QuerySelector(".address-invalid").ShouldBeNull();
        to.QuerySelector("a[data-contact-link]").ShouldBeNull();
        to.QuerySelector("a[data-add-contact]")!.GetAttribute("href")
            .ShouldBe($"/Contacts/Edit?name=New%20Person%20%26%20Co&address={Uri.EscapeDataString(seeded.Stranger)}");
        to.QuerySelector("a[data-add-contact]")!.GetAttribute("aria-label")!.ShouldContain(seeded.Stranger);

        page.Dom.One($"dd[data-to] [data-address='{own}']").QuerySelector("a").ShouldBeNull("nobody adds themselves to the contacts");

        var cc = page.Dom.One("dd[data-cc] [data-address]");
        cc.QuerySelector(".address-invalid").ShouldBeNull();
        cc.QuerySelector("a[data-contact-link]")!.GetAttribute("href").ShouldBe($"/Contacts/Contact?id={seeded.Vera}");
        page.Dom.Text("dd[data-from]").ShouldContain($"<{seeded.BorisAddress.ToUpperInvariant()}>");
    }

    [Fact]
    public async Task the_live_message_marks_the_invalid_sender_and_links_each_address_to_its_contact_or_to_adding_one()
    {
        var seeded = await SeedAsync();
        using var user = await product.NewUserAsync();
        var mailbox = await product.NewMailboxAsync();
        (await user.Session.SubmitAsync(AccountForms.AddPage, AccountForms.For(product, mailbox, title: "Marked mail"))).Status.ShouldBe(HttpStatusCode.Redirect);
        using (var client = await product.SignInAsync(mailbox))
        {
            await client.Inbox.AppendAsync(new AppendRequest(Letter(seeded, mailbox.Address), MessageFlags.None));
        }

        var account = (await user.Session.GetAsync("/Email/Settings/Accounts")).AccountIds().Single();
        ShowsMarksAndLinks(await user.Session.GetAsync($"/Email/Message?account={account}&folder=INBOX&uid=1"), seeded, mailbox.Address);
        ShowsMarksAndLinks(await user.Session.GetAsync($"/Email/Message?account={account}&folder=INBOX&uid=1&view=pane"), seeded, mailbox.Address);
    }

    [Fact]
    public async Task the_imported_letter_does_the_same_and_a_deleted_contact_holds_nothing()
    {
        var seeded = await SeedAsync();
        using var user = await product.NewUserAsync();
        var mailbox = await product.NewMailboxAsync();
        (await user.Session.SubmitAsync(AccountForms.AddPage, AccountForms.For(product, mailbox, title: "Imported marks"))).Status.ShouldBe(HttpStatusCode.Redirect);
        var account = Guid.Parse((await user.Session.GetAsync("/Email/Settings/Accounts")).AccountIds().Single());
        var letter = await product.ImportLetterAsync(account, Letter(seeded, mailbox.Address));

        ShowsMarksAndLinks(await user.Session.GetAsync($"/Email/Imported/Letter?id={letter}"), seeded, mailbox.Address);

        await product.DeleteContactAsync(seeded.Vera);
        var after = await user.Session.GetAsync($"/Email/Imported/Letter?id={letter}");
        after.Dom.One("dd[data-cc] a[data-add-contact]").GetAttribute("href").ShouldBe($"/Contacts/Edit?name=Vera&address={Uri.EscapeDataString(seeded.VeraAddress)}");
    }
}
