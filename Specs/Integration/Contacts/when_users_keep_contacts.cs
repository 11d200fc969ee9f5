using System.Net;
using MailAccounts.Domain.Contacts;
using MailAccounts.Domain.Verification;
using MailAccounts.Specs.Support;

namespace MailAccounts.Specs.Integration.Contacts;

/// <summary>
/// Contacts through their pages on the real host: added, found, edited by anyone signed in, refused with the
/// reason at the field and nothing saved, deleted only by an administrator, and an address's mark cleared by Mark valid.
/// </summary>
[Collection(ProductCollection.Name)]
public sealed class when_users_keep_contacts(ProductFixture product)
{
    [Fact]
    public async Task a_contact_added_by_one_user_is_found_and_edited_by_another()
    {
        using var anna = await product.NewUserAsync();
        using var boris = await product.NewUserAsync();
        var organisation = Contacts.Unique("Petrov");
        var address = Contacts.Unique("boris") + "@example.com";
        var id = await anna.Session.AddContactAsync("Борис Петров", organisation, address, "second-" + address);

        foreach (var search in new[] { "борис", organisation.ToUpperInvariant(), "SECOND-" + address, "петров " + organisation })
        {
            var list = await boris.Session.GetAsync("/Contacts?q=" + Uri.EscapeDataString(search));
            list.Dom.All($"#contacts tr[data-contact=\"{id}\"]").Count.ShouldBe(1, search);
        }

        (await boris.Session.GetAsync("/Contacts?q=" + Uri.EscapeDataString(organisation + "-nobody"))).Dom.Has("[data-empty=contacts]").ShouldBeTrue();

        var edit = await boris.Session.GetAsync($"/Contacts/Edit?id={id}");
        var form = Form.Of(edit.Html, "form.contact-form", $"/Contacts/Edit?id={id}");
        form["Input.Addresses[0]"].ShouldBe(address);
        form["Input.Organisation"] = organisation + " Ltd";
        form["Input.Addresses[0]"] = "";
        form["Input.Addresses[2]"] = "third-" + address;
        form["Input.Primary"] = "2";
        var saved = await boris.Session.PostAsync(form);
        saved.Status.ShouldBe(HttpStatusCode.Redirect, saved.Html);

        var events = await product.ContactEventsAsync(id);
        events.Skip(1).Select(e => e.GetType()).ShouldBe(
            [typeof(ContactDetailsChanged), typeof(ContactAddressRemoved), typeof(ContactAddressAdded), typeof(ContactPrimaryAddressChosen)]);
        var contact = (await product.ContactAsync(id))!;
        contact.Addresses.ShouldBe([new ContactAddress("second-" + address, false), new ContactAddress("third-" + address, true)]);

        var page = await anna.Session.GetAsync($"/Contacts/Contact?id={id}");
        page.Dom.Text("[data-organisation]").ShouldBe(organisation + " Ltd");
        page.Dom.One($"#addresses li[data-address=\"third-{address}\"]").QuerySelector("[data-primary]").ShouldNotBeNull();

        var history = await anna.Session.GetAsync($"/Contacts/History?id={id}");
        history.Dom.Texts("#history [data-what]").ShouldBe(["Details changed", "Address removed", "Address added", "Primary address chosen", "Contact added"], ignoreOrder: true);
        history.Dom.Texts("#history [data-who]").ShouldContain("Test " + boris.Login);
    }

    [Fact]
    public async Task the_same_form_saved_again_records_nothing()
    {
        using var anna = await product.NewUserAsync();
        var id = await anna.Session.AddContactAsync("Unchanged", "", Contacts.Unique("same") + "@example.com");
        var form = Form.Of((await anna.Session.GetAsync($"/Contacts/Edit?id={id}")).Html, "form.contact-form", $"/Contacts/Edit?id={id}");
        (await anna.Session.PostAsync(form)).Status.ShouldBe(HttpStatusCode.Redirect);
        (await product.ContactEventsAsync(id)).Count.ShouldBe(1);
    }

    [Fact]
    public async Task bad_input_is_refused_at_its_field_and_nothing_is_saved()
    {
        using var anna = await product.NewUserAsync();
        var address = Contacts.Unique("taken") + "@example.com";
        var holderName = Contacts.Unique("Holder");
        await anna.Session.AddContactAsync(holderName, "", address);
        var name = Contacts.Unique("Refused");

        var refused = await anna.Session.SubmitAsync("/Contacts/Edit", new()
        {
            ["Input.Name"] = name, ["Input.Addresses[0]"] = "not an address", ["Input.Addresses[1]"] = address.ToUpperInvariant(),
        });

        refused.Status.ShouldBe(HttpStatusCode.OK);
        refused.Dom.Text("[data-valmsg-for=\"Input.Addresses[0]\"]").ShouldContain("not an e-mail address");
        refused.Dom.Text("[data-valmsg-for=\"Input.Addresses[1]\"]").ShouldContain(holderName);
        refused.Dom.Field("Input.Name").ShouldBe(name);
        (await product.ContactCountAsync(name)).ShouldBe(0);

        var empty = await anna.Session.SubmitAsync("/Contacts/Edit", new() { ["Input.Name"] = " ", ["Input.Addresses[0]"] = "" });
        empty.Dom.Text("[data-valmsg-for=\"Input.Name\"]").ShouldBe("Give a name or an e-mail address.");
    }

    [Fact]
    public async Task add_to_contacts_from_a_message_opens_the_form_filled_in()
    {
        using var anna = await product.NewUserAsync();
        var address = Contacts.Unique("sender") + "@example.com";
        var form = await anna.Session.GetAsync($"/Contacts/Edit?name={Uri.EscapeDataString("Анна Смирнова")}&address={Uri.EscapeDataString(address)}");
        form.Dom.Field("Input.Name").ShouldBe("Анна Смирнова");
        form.Dom.Field("Input.Addresses[0]").ShouldBe(address);

        var saved = await anna.Session.PostAsync(Form.Of(form.Html, "form.contact-form", "/Contacts/Edit"));
        saved.Status.ShouldBe(HttpStatusCode.Redirect);
        var added = (await product.ContactEventsAsync(Contacts.IdIn(saved.Location!))).OfType<ContactAdded>().Single();
        added.Source.ShouldBe(ContactDecisions.MessageSource);
        added.Addresses.ShouldBe([new ContactAddress(address, true)]);

        // The same link again: the address is a contact's now, and the form says whose, with the way to it.
        var again = await anna.Session.GetAsync($"/Contacts/Edit?name=Anna&address={Uri.EscapeDataString(address.ToUpperInvariant())}");
        again.Dom.Text("[data-already-contact]").ShouldContain("Анна Смирнова");
        again.Dom.One("[data-already-contact] a").GetAttribute("href").ShouldBe($"/Contacts/Contact?id={Contacts.IdIn(saved.Location!)}");
    }

    [Fact]
    public async Task only_an_administrator_deletes_a_contact()
    {
        using var anna = await product.NewUserAsync();
        using var admin = await product.AdministratorAsync();
        var name = Contacts.Unique("Deletable");
        var id = await anna.Session.AddContactAsync(name, "", Contacts.Unique("gone") + "@example.com");
        (await anna.Session.GetAsync($"/Contacts/Contact?id={id}")).Dom.Has("[data-delete-contact]").ShouldBeFalse();

        var refused = await anna.Session.SubmitAsync($"/Contacts/Contact?id={id}", [], postTo: $"/Contacts/Contact?id={id}&handler=Delete");
        (refused.Status == HttpStatusCode.Forbidden || refused.Location?.OriginalString.Contains("/Forbidden", StringComparison.Ordinal) == true)
            .ShouldBeTrue($"{refused.Status} {refused.Location}");
        (await product.ContactAsync(id))!.Deleted.ShouldBeFalse();

        (await admin.GetAsync($"/Contacts/Contact?id={id}")).Dom.Has("[data-delete-contact]").ShouldBeTrue();
        var deleted = await admin.SubmitAsync($"/Contacts/Contact?id={id}", [], postTo: $"/Contacts/Contact?id={id}&handler=Delete");
        deleted.Status.ShouldBe(HttpStatusCode.Redirect);
        (await product.ContactAsync(id))!.Deleted.ShouldBeTrue();
        (await anna.Session.GetAsync($"/Contacts/Contact?id={id}")).Status.ShouldBe(HttpStatusCode.NotFound);
        (await anna.Session.GetAsync("/Contacts?q=" + name)).Dom.Has("[data-empty=contacts]").ShouldBeTrue();
    }

    [Fact]
    public async Task mark_valid_clears_an_address_marked_invalid_by_a_bounce()
    {
        using var anna = await product.NewUserAsync();
        var address = Contacts.Unique("bounced") + "@specs.test";
        var id = await anna.Session.AddContactAsync("Bounced", "", address);
        var account = Guid.NewGuid();
        await product.MarkInvalidAsync(address, account, "5.1.1", "User unknown in virtual mailbox table", new DateTimeOffset(2026, 11, 30, 8, 0, 0, TimeSpan.Zero));

        var page = await anna.Session.GetAsync($"/Contacts/Contact?id={id}");
        var row = page.Dom.One($"#addresses li[data-address=\"{address}\"]");
        row.GetAttribute("data-state").ShouldBe("invalid");
        row.QuerySelector("[data-status]")!.TextContent.ShouldBe("5.1.1");
        row.QuerySelector("[data-diagnostic]")!.TextContent.ShouldBe("User unknown in virtual mailbox table");
        row.QuerySelector("[data-bounce]")!.GetAttribute("href").ShouldBe($"/Email/Message?account={account}&folder=INBOX&uid=42");
        var list = await anna.Session.GetAsync("/Contacts?q=" + address);
        list.Dom.One($"#contacts li[data-address=\"{address}\"] .address-invalid").ShouldNotBeNull();

        var marked = await anna.Session.SubmitAsync($"/Contacts/Contact?id={id}", new() { ["address"] = address }, postTo: $"/Contacts/Contact?id={id}&handler=MarkValid");

        marked.Status.ShouldBe(HttpStatusCode.Redirect);
        var state = (await product.AddressStateAsync(address))!;
        state.Invalid.ShouldBeFalse();
        state.LastCleared!.How.ShouldBe(ValidatedBy.User);
        (await anna.Session.GetAsync($"/Contacts/Contact?id={id}")).Dom.One($"#addresses li[data-address=\"{address}\"]").GetAttribute("data-state").ShouldBe("valid");
        (await anna.Session.GetAsync("/Contacts?q=" + address)).Dom.Has($"#contacts li[data-address=\"{address}\"] .address-invalid").ShouldBeFalse();
        var history = await anna.Session.GetAsync($"/Contacts/History?id={id}");
        history.Dom.Texts("#history [data-what]").ShouldBe(["Address marked valid", "Address marked invalid", "Mail to the address bounced", "Contact added"]);
    }

    [Fact]
    public async Task mark_valid_is_only_for_an_address_of_the_contact()
    {
        using var anna = await product.NewUserAsync();
        var address = Contacts.Unique("elsewhere") + "@specs.test";
        var id = await anna.Session.AddContactAsync("Someone", "", Contacts.Unique("someone") + "@specs.test");
        await product.MarkInvalidAsync(address, Guid.NewGuid(), "5.1.1", "User unknown", DateTimeOffset.UtcNow);

        var refused = await anna.Session.SubmitAsync($"/Contacts/Contact?id={id}", new() { ["address"] = address }, postTo: $"/Contacts/Contact?id={id}&handler=MarkValid");

        refused.Status.ShouldBe(HttpStatusCode.NotFound);
        (await product.AddressStateAsync(address))!.Invalid.ShouldBeTrue();
    }

    [Fact]
    public async Task the_list_is_paged_by_the_page_size()
    {
        using var anna = await product.NewUserAsync();
        var organisation = Contacts.Unique("Paged");
        for (var i = 0; i < 12; i++)
        {
            await anna.Session.AddContactAsync($"Paged {i:00}", organisation);
        }

        // The user's page size from General settings: 10 a page, so 12 contacts are two pages.
        var settings = Form.Of((await anna.Session.GetAsync("/Email/Settings/General")).Html, "#general-settings", "/Email/Settings/General");
        settings["Input.PageSize"] = "10";
        (await anna.Session.PostAsync(settings)).Status.ShouldBe(HttpStatusCode.Redirect);

        var first = await anna.Session.GetAsync("/Contacts?q=" + organisation);
        first.Dom.All("#contacts tr[data-contact]").Count.ShouldBe(10);
        first.Dom.Texts("#contacts [data-contact-name]").ShouldBe([.. Enumerable.Range(0, 10).Select(i => $"Paged {i:00}")]);
        var second = await anna.Session.GetAsync($"/Contacts?q={organisation}&p=2");
        second.Dom.Texts("#contacts [data-contact-name]").ShouldBe(["Paged 10", "Paged 11"]);
        first.Dom.Has("nav.pager a[rel=next]").ShouldBeTrue();
    }
}
