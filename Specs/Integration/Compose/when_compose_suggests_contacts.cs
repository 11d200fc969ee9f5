using System.Net;
using System.Text.Json;
using Marten;
using MailAccounts.Infrastructure.Sending;
using MailAccounts.Specs.Support;
using Microsoft.Extensions.DependencyInjection;

namespace MailAccounts.Specs.Integration.Compose;

/// <summary>
/// The contacts' source of the compose form's suggestions, on the product's PostgreSQL: a contact matches when each word
/// typed begins a word of its name, organisation or an address; every address of it is offered, the primary first;
/// deleted contacts never; contacts are the organisation's, so any user is offered them.
/// </summary>
[Collection(SendingCollection.Name)]
public sealed class when_compose_suggests_contacts(ProductFixture product)
{
    private async Task<IReadOnlyList<AddressSuggestion>> FoundAsync(string typed, int limit = AddressSuggestions.Limit)
    {
        await using var session = product.Services.GetRequiredService<IDocumentStore>().QuerySession();
        return await new ContactAddresses().FindAsync(session, Guid.NewGuid(), typed, limit, CancellationToken.None);
    }

    [Fact]
    public async Task a_word_begun_in_the_name_the_organisation_or_an_address_finds_the_contact_with_all_its_addresses_primary_first()
    {
        var token = ContactSeeds.Token();
        await product.ContactAsync($"Boris Petrov{token}", $"Acme{token} Trading", $"boris.{token}@specs.test", $"b.petrov@{token}.example.com");
        await product.ContactAsync($"Anna Smirnova{token}", "", $"anna@{token}.example.org");

        string[] boris = [$"boris.{token}@specs.test", $"b.petrov@{token}.example.com"];
        (await FoundAsync($"petrov{token[..4]}")).Select(s => s.Address).ShouldBe(boris, "a prefix of a word of the name");
        (await FoundAsync($"ACME{token}")).Select(s => s.Address).ShouldBe(boris, "a word of the organisation, without case");
        (await FoundAsync($"{token}.example.com")).Select(s => s.Address).ShouldBe(boris, "a word inside an address");
        (await FoundAsync($"boris petrov{token}")).Select(s => s.Name).Distinct().ShouldBe([$"Boris Petrov{token}"], "each word typed begins a word");
        (await FoundAsync(token[2..])).ShouldBeEmpty("the middle of a word is not the start of one");
        (await FoundAsync($"anna@{token}")).Select(s => s.Address).ShouldBe([$"anna@{token}.example.org"]);
        (await FoundAsync($"petrov{token} smirnova")).ShouldBeEmpty("every word typed must match the same contact");
        (await FoundAsync("%")).ShouldBeEmpty("a wildcard is a character like any other");
    }

    [Fact]
    public async Task a_deleted_contact_is_never_offered_and_no_more_than_the_limit_is()
    {
        var token = ContactSeeds.Token();
        var gone = await product.ContactAsync($"Gone {token}", "", $"gone.{token}@specs.test");
        await product.DeleteContactAsync(gone);
        for (var i = 0; i < 5; i++)
        {
            await product.ContactAsync($"Many{token} {i}", "", $"many{i}.{token}@specs.test", $"other{i}.{token}@specs.test");
        }

        (await FoundAsync($"gone {token}")).ShouldBeEmpty();
        (await FoundAsync($"many{token}")).Count.ShouldBe(AddressSuggestions.Limit);
        (await FoundAsync($"many{token}", limit: 3)).Select(s => s.Address).ShouldBe([$"many0.{token}@specs.test", $"other0.{token}@specs.test", $"many1.{token}@specs.test"]);
    }

    [Fact]
    public async Task the_compose_form_offers_a_contact_to_any_user_after_those_the_user_wrote_to_with_the_invalid_mark()
    {
        var token = ContactSeeds.Token();
        using var user = await product.NewUserAsync();
        var userId = await product.UserIdAsync(user.Login);
        var contact = $"vera.{token}@specs.test";
        var bounced = $"vera.old.{token}@specs.test";
        await product.ContactAsync($"Vera {token}", "Office", contact, bounced);
        await product.MarkInvalidAsync(bounced, diagnostic: "550 5.1.1 <vera.old> User unknown in virtual mailbox table");
        var writtenTo = $"vera.written.{token}@specs.test";
        await using (var write = product.Services.GetRequiredService<IDocumentStore>().LightweightSession())
        {
            write.Store(new Correspondent(Correspondents.IdOf(userId, writtenTo), userId, writtenTo, $"Vera {token}", $"{writtenTo} vera {token}", 1, DateTimeOffset.UtcNow));
            await write.SaveChangesAsync();
        }

        var page = await user.Session.GetAsync("/Email/Compose?handler=Suggestions&q=" + Uri.EscapeDataString($"vera {token}"));
        page.Status.ShouldBe(HttpStatusCode.OK);
        var offered = JsonDocument.Parse(page.Html).RootElement.EnumerateArray().ToArray();
        offered.Select(s => s.GetProperty("address").GetString()).ShouldBe([writtenTo, contact, bounced]);
        offered[1].GetProperty("invalid").ValueKind.ShouldBe(JsonValueKind.Null);
        offered[2].GetProperty("invalid").GetString().ShouldBe(product.Word("Verification.Invalid", "en"));
        offered[2].GetProperty("invalidDetail").GetString()!.ShouldContain("5.1.1 550 5.1.1 <vera.old> User unknown in virtual mailbox table");
        offered[1].GetProperty("text").GetString().ShouldBe($"\"Vera {token}\" <{contact}>", "as it goes in the field, with the contact's name");
    }
}
