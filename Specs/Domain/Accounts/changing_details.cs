using MailAccounts.Domain.Accounts;
using static MailAccounts.Specs.Domain.Accounts.SalesAccount;

namespace MailAccounts.Specs.Domain.Accounts;

/// <summary>SaveAccount's details part (Domain/Accounts/ChangingDetails.cs): AccountCreated and AccountDetailsChanged.</summary>
public sealed class changing_details
{
    [Fact]
    public void a_new_account_is_created_with_its_title_trimmed() =>
        Given.Account().When(Save(Form)).Events[0]
            .ShouldBe(new AccountCreated(Id, Owner, AccountKind.Individual, "Sales", "Anna Smirnova", "anna@example.com", Owner, Now));

    [Fact]
    public void a_changed_name_or_address_is_one_details_change() =>
        Given.Account(Created).When(Save(Unchanged with { Name = "Anna S.", Address = "anna.s@example.com", OutgoingAddress = "anna@example.com" }))
            .Then(new AccountDetailsChanged(Id, "Sales", "Anna S.", "anna.s@example.com", Owner, Now),
                new OutgoingConfigured(Id, "Anna S.", "anna@example.com", "boss@example.com", null, Owner, Now));

    [Theory]
    [InlineData(null, AccountViolations.TitleRequired)]
    [InlineData("   ", AccountViolations.TitleRequired)]
    public void without_a_title_nothing_is_created(string? title, string code) =>
        Given.Account().When(Save(Form with { Title = title })).ThenRefused("Title", code);

    [Fact]
    public void a_title_of_101_characters_is_refused_and_100_is_accepted()
    {
        Given.Account().When(Save(Form with { Title = new string('t', 101) })).ThenRefused("Title", AccountViolations.TitleTooLong);
        Given.Account().When(Save(Form with { Title = new string('t', 100) })).Decision.IsAccepted.ShouldBeTrue();
    }

    [Theory]
    [InlineData("Sales")]
    [InlineData(" sales ")]
    [InlineData("SALES")]
    public void a_title_the_owner_already_uses_is_refused_whatever_its_case(string title) =>
        Given.Account().When(Save(Form with { Title = title }, Context("Support", "Sales"))).ThenRefused("Title", AccountViolations.TitleTaken);

    [Fact]
    public void a_name_of_201_characters_is_refused() =>
        Given.Account().When(Save(Form with { Name = new string('n', 201) })).ThenRefused("Name", AccountViolations.NameTooLong);

    [Theory]
    [InlineData("anna")]
    [InlineData("anna@")]
    [InlineData("@example.com")]
    [InlineData("Anna <anna@example.com>")]
    [InlineData("anna@example..com")]
    [InlineData("anna smirnova@example.com")]
    public void an_address_that_is_not_an_email_address_is_refused(string address) =>
        Given.Account().When(Save(Form with { Address = address })).ThenRefused("Address", AccountViolations.AddressInvalid);

    [Fact]
    public void an_account_needs_an_address() =>
        Given.Account().When(Save(Form with { Address = " " })).ThenRefused("Address", AccountViolations.AddressRequired);
}
