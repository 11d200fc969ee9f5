using Marten;
using MailAccounts.Infrastructure.Sending;
using MailAccounts.Specs.Support;
using Microsoft.Extensions.DependencyInjection;

namespace MailAccounts.Specs.Integration.Contacts;

/// <summary>
/// A contact's page lists the mail exchanged with its addresses that the viewer may read: sent through the system
/// from an account the viewer may use, and imported letters by the imported mail's rule. Another user's individual
/// account's mail never shows, to another user or to an administrator; a group account's shows to those it is granted to.
/// </summary>
[Collection(ProductCollection.Name)]
public sealed class when_a_contacts_correspondence_is_shown(ProductFixture product)
{
    private async Task<Guid> SentAsync(Guid accountId, Guid userId, string subject, string recipient, DateTimeOffset at)
    {
        var id = Guid.CreateVersion7();
        await using var session = product.Services.GetRequiredService<IDocumentStore>().LightweightSession();
        session.Store(new SentMail(id, userId, accountId, $"<{id:N}@specs.test>", at, null, Subject: subject, RecipientAddresses: ["other@example.com", recipient]));
        await session.SaveChangesAsync();
        return id;
    }

    [Fact]
    public async Task each_viewer_sees_only_the_mail_of_accounts_they_may_use()
    {
        using var anna = await product.NewUserAsync();
        using var boris = await product.NewUserAsync();
        using var admin = await product.AdministratorAsync();
        var tag = Contacts.Unique("mail");
        var address = $"client-{tag}@example.com";
        var contact = await anna.Session.AddContactAsync("Client " + tag, "", address);

        var annasMailbox = await product.NewMailboxAsync();
        var annas = await product.AccountSendingAsAsync(anna, annasMailbox, "Anna " + tag);
        var group = await product.GroupAccountAsync(admin, await product.NewMailboxAsync(), "Shared " + tag);
        await product.GrantAsync(admin, group, boris.Login);

        var day = new DateTimeOffset(2026, 11, 20, 9, 0, 0, TimeSpan.Zero);
        await SentAsync(annas, await product.UserIdAsync(anna.Login), "Offer " + tag, address.ToUpperInvariant(), day);
        await SentAsync(annas, await product.UserIdAsync(anna.Login), "Not to the contact " + tag, "someone-else@example.com", day.AddDays(1));
        await product.ImportLetterAsync(annas, Importing.Between("Reply " + tag, $"Client <{address}>", annasMailbox.Address, "Hello", day.AddDays(2)));
        await product.ImportLetterAsync(annas, Importing.Between("Lookalike " + tag, $"a{address}", annasMailbox.Address, "Hello", day.AddDays(3)));
        await product.ImportLetterAsync(group, Importing.Between("Shared question " + tag, "team@specs.test", address, "Hello", day.AddDays(4)));

        async Task<IReadOnlyList<string>> SubjectsAsync(UserSession session) =>
            (await session.GetAsync($"/Contacts/Contact?id={contact}")).Dom.Texts("#correspondence [data-subject]");

        (await SubjectsAsync(anna.Session)).ShouldBe(["Reply " + tag, "Offer " + tag]);
        (await SubjectsAsync(boris.Session)).ShouldBe(["Shared question " + tag]);
        (await SubjectsAsync(admin)).ShouldBe(["Shared question " + tag]);

        var page = await anna.Session.GetAsync($"/Contacts/Contact?id={contact}");
        var links = page.Dom.All("#correspondence [data-subject]").Select(a => a.GetAttribute("href")).ToArray();
        links[0].ShouldStartWith("/Email/Imported/Letter?id=");
        links[1].ShouldBe($"/Email?account={annas}&folder=Sent");
    }
}
