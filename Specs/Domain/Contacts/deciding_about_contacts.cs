using MailAccounts.Domain.Common;
using MailAccounts.Domain.Contacts;

namespace MailAccounts.Specs.Domain.Contacts;

/// <summary>Adding, editing and deleting a contact: given its events, when a decision, then its events or its refusal.</summary>
public sealed class deciding_about_contacts
{
    private static readonly Guid Id = Guid.NewGuid();
    private static readonly Guid Other = Guid.NewGuid();
    private static readonly Guid Anna = Guid.NewGuid();
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);
    private static readonly Dictionary<string, AddressHolder> NoneTaken = [];

    private static readonly ContactAdded Boris = new(
        Id, "Boris Petrov", "Petrov & Co", "Met at the fair",
        [new ContactAddress("boris@example.com", true), new ContactAddress("b.petrov@example.org", false)], "manual", null, Anna, Now.AddDays(-1));

    private static Scenario<Contact> Given(params object[] events) => new(Contact.Evolve, events);

    private static ContactForm Form(params string[] addresses) => new("Boris Petrov", "Petrov & Co", "Met at the fair", addresses);

    [Fact]
    public void adding_records_the_trimmed_form_with_the_first_address_primary() =>
        Given().When(_ => ContactDecisions.Add(Id, new(" Boris Petrov ", "Petrov & Co ", " Met at the fair", ["boris@example.com", " ", "b.petrov@example.org "]), NoneTaken,
                "manual", null, Anna, Now.AddDays(-1)))
            .Then(Boris);

    [Fact]
    public void adding_keeps_the_primary_chosen() =>
        Given().When(_ => ContactDecisions.Add(Id, Form("boris@example.com", "b.petrov@example.org") with { Primary = "B.Petrov@example.org" }, NoneTaken, "manual", null, Anna, Now))
            .Events.OfType<ContactAdded>().Single().Addresses.ShouldBe([new ContactAddress("boris@example.com", false), new ContactAddress("b.petrov@example.org", true)]);

    [Fact]
    public void a_contact_with_neither_name_nor_address_is_refused() =>
        Given().When(_ => ContactDecisions.Add(Id, new(" ", "Petrov & Co", "", [""]), NoneTaken, "manual", null, Anna, Now))
            .ThenRefused(ContactDecisions.NameField, ContactViolations.NameOrAddressRequired);

    [Fact]
    public void an_address_alone_is_enough() =>
        Given().When(_ => ContactDecisions.Add(Id, new("", "", "", ["boris@example.com"]), NoneTaken, "manual", null, Anna, Now)).Decision.IsAccepted.ShouldBeTrue();

    [Fact]
    public void an_invalid_address_is_refused_at_its_field() =>
        Given().When(_ => ContactDecisions.Add(Id, Form("boris@example.com", "Boris <b@example.org>"), NoneTaken, "manual", null, Anna, Now))
            .ThenRefused("Addresses[1]", ContactViolations.AddressInvalid);

    [Fact]
    public void an_address_twice_in_one_contact_is_refused_whatever_its_case() =>
        Given().When(_ => ContactDecisions.Add(Id, Form("boris@example.com", "BORIS@example.com"), NoneTaken, "manual", null, Anna, Now))
            .ThenRefused("Addresses[1]", ContactViolations.AddressRepeated);

    [Fact]
    public void an_address_of_another_contact_is_refused_naming_that_contact()
    {
        var decided = Given().When(_ => ContactDecisions.Add(Id, Form("boris@example.com"), new Dictionary<string, AddressHolder>
        {
            ["boris@example.com"] = new(Other, "Boris at Petrov & Co"),
        }, "manual", null, Anna, Now));
        decided.Decision.Violations.ShouldBe([new Violation("Addresses[0]", ContactViolations.AddressTaken, "Boris at Petrov & Co")]);
    }

    [Fact]
    public void a_contact_keeps_its_own_addresses_on_edit() =>
        Given(Boris).When(c => ContactDecisions.Edit(c, Form("boris@example.com", "b.petrov@example.org"), new Dictionary<string, AddressHolder>
        {
            ["boris@example.com"] = new(Id, "Boris Petrov"),
        }, Anna, Now)).ThenNothing();

    [Fact]
    public void too_long_a_name_is_refused() =>
        Given().When(_ => ContactDecisions.Add(Id, new(new string('x', 201), "", "", []), NoneTaken, "manual", null, Anna, Now))
            .ThenRefused(ContactDecisions.NameField, ContactViolations.NameTooLong);

    [Fact]
    public void a_primary_not_among_the_addresses_is_refused() =>
        Given(Boris).When(c => ContactDecisions.Edit(c, Form("boris@example.com") with { Primary = "someone@example.com" }, NoneTaken, Anna, Now))
            .ThenRefused(ContactDecisions.AddressesField, ContactViolations.PrimaryNotAmong);

    [Fact]
    public void the_same_form_again_changes_nothing() =>
        Given(Boris).When(c => ContactDecisions.Edit(c, Form("boris@example.com", "b.petrov@example.org") with { Primary = "boris@example.com" }, NoneTaken, Anna, Now))
            .ThenNothing();

    [Fact]
    public void an_edit_is_told_as_what_changed()
    {
        var decided = Given(Boris).When(c => ContactDecisions.Edit(c,
            new ContactForm("Boris Petrov", "Petrov Ltd", "Met at the fair", ["b.petrov@example.org", "boris@petrov.example"], "boris@petrov.example"),
            NoneTaken, Anna, Now));
        decided.Then(
            new ContactDetailsChanged(Id, "Boris Petrov", "Petrov Ltd", "Met at the fair", Anna, Now),
            new ContactAddressRemoved(Id, "boris@example.com", Anna, Now),
            new ContactAddressAdded(Id, "boris@petrov.example", Anna, Now),
            new ContactPrimaryAddressChosen(Id, "boris@petrov.example", Anna, Now));
        decided.After!.Addresses.ShouldBe([new ContactAddress("b.petrov@example.org", false), new ContactAddress("boris@petrov.example", true)]);
        decided.After.Search.ShouldBe("boris petrov petrov ltd b.petrov@example.org boris@petrov.example");
    }

    [Fact]
    public void removing_the_primary_address_makes_the_next_one_primary_without_an_event_of_its_own() =>
        Given(Boris).When(c => ContactDecisions.Edit(c, Form("b.petrov@example.org"), NoneTaken, Anna, Now))
            .Then(new ContactAddressRemoved(Id, "boris@example.com", Anna, Now));

    [Fact]
    public void an_edit_of_a_deleted_contact_is_refused() =>
        Given(Boris, new ContactDeleted(Id, Anna, Now)).When(c => ContactDecisions.Edit(c, Form("boris@example.com"), NoneTaken, Anna, Now))
            .ThenRefused("", ContactViolations.Unknown);

    [Fact]
    public void an_administrator_deletes_a_contact() =>
        Given(Boris).When(c => ContactDecisions.Delete(c, administrator: true, Anna, Now)).Then(new ContactDeleted(Id, Anna, Now));

    [Fact]
    public void a_user_who_is_not_an_administrator_may_not_delete() =>
        Given(Boris).When(c => ContactDecisions.Delete(c, administrator: false, Anna, Now))
            .ThenRefused("", ContactViolations.AdministratorsOnly);

    [Fact]
    public void a_deleted_contact_is_not_deleted_again() =>
        Given(Boris, new ContactDeleted(Id, Anna, Now)).When(c => ContactDecisions.Delete(c, administrator: true, Anna, Now))
            .ThenRefused("", ContactViolations.Unknown);
}
