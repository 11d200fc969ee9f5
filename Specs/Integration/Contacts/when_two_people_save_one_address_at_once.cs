using System.Net;
using Marten;
using MailAccounts.Infrastructure.Contacts;
using MailAccounts.Domain.Verification;
using MailAccounts.Specs.Support;
using Microsoft.Extensions.DependencyInjection;

namespace MailAccounts.Specs.Integration.Contacts;

/// <summary>
/// An address belongs to one contact even when two people save it at the same moment: the form's check reads the
/// contacts, and the commit claims the address at the database's primary key. The moment between the two is what the
/// spec stands in: the claim another commit made is there, its contact not yet visible to the check.
/// </summary>
[Collection(ProductCollection.Name)]
public sealed class when_two_people_save_one_address_at_once(ProductFixture product)
{
    [Fact]
    public async Task the_second_save_is_refused_with_a_clear_message_and_nothing_of_it_is_saved()
    {
        using var anna = await product.NewUserAsync();
        var address = Contacts.Unique("raced") + "@example.com";
        await ClaimAsync(address, Guid.NewGuid());
        var organisation = Contacts.Unique("Org");

        var saved = await anna.Session.SubmitAsync("/Contacts/Edit", new()
        {
            ["Input.Name"] = "Second saver", ["Input.Organisation"] = organisation, ["Input.Notes"] = "", ["Input.Addresses[0]"] = address,
        });

        saved.Status.ShouldBe(HttpStatusCode.OK);
        saved.Dom.Text("form.contact-form .errors").ShouldContain(product.Word("Contact.AddressTakenMeanwhile"));
        (await product.ContactCountAsync(organisation)).ShouldBe(0);
    }

    [Fact]
    public async Task a_removed_or_deleted_contacts_address_may_be_saved_on_another_contact()
    {
        using var anna = await product.NewUserAsync();
        using var admin = await product.AdministratorAsync();
        var first = Contacts.Unique("first") + "@example.com";
        var second = Contacts.Unique("second") + "@example.com";
        var id = await anna.Session.AddContactAsync("Holder", "", first, second);
        (await ClaimOfAsync(first)).ShouldBe(id);

        var edit = Form.Of((await anna.Session.GetAsync($"/Contacts/Edit?id={id}")).Html, "form.contact-form", $"/Contacts/Edit?id={id}");
        edit["Input.Addresses[0]"] = "";
        (await anna.Session.PostAsync(edit)).Status.ShouldBe(HttpStatusCode.Redirect);
        (await ClaimOfAsync(first)).ShouldBeNull();
        await anna.Session.AddContactAsync("Next holder of the first", "", first);

        (await admin.SubmitAsync($"/Contacts/Contact?id={id}", [], postTo: $"/Contacts/Contact?id={id}&handler=Delete")).Status.ShouldBe(HttpStatusCode.Redirect);
        (await ClaimOfAsync(second)).ShouldBeNull();
        await anna.Session.AddContactAsync("Next holder of the second", "", second);
    }

    private async Task ClaimAsync(string address, Guid contact)
    {
        await using var session = product.Services.GetRequiredService<IDocumentStore>().LightweightSession();
        session.Insert(new ContactAddressClaim(AddressVerification.Normalise(address), contact));
        await session.SaveChangesAsync();
    }

    private async Task<Guid?> ClaimOfAsync(string address)
    {
        await using var session = product.Services.GetRequiredService<IDocumentStore>().QuerySession();
        return (await session.LoadAsync<ContactAddressClaim>(AddressVerification.Normalise(address)))?.ContactId;
    }
}
