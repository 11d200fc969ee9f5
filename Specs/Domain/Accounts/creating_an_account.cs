using MailAccounts.Domain.Accounts;
using MailAccounts.Domain.Common;

namespace MailAccounts.Specs.Domain.Accounts;

public sealed class creating_an_account
{
    private static readonly Guid AccountId = Guid.NewGuid();
    private static readonly Guid Owner = Guid.NewGuid();
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 10, 0, 0, TimeSpan.Zero);

    private static Decision When(AccountDraft draft, params string[] existingTitles) =>
        AccountDecisions.Create(AccountId, Owner, draft, existingTitles, Owner, Now);

    [Fact]
    public void with_a_title_and_an_address_the_account_is_created_for_its_owner()
    {
        var decision = When(new AccountDraft(" Sales ", "Anna", "anna@example.com"));

        decision.Events.ShouldBe([new AccountCreated(AccountId, Owner, AccountKind.Individual, "Sales", "Anna", "anna@example.com", Owner, Now)]);
    }

    [Fact]
    public void the_new_state_holds_what_was_typed()
    {
        var state = When(new AccountDraft("Sales", "Anna", "anna@example.com")).Events.Aggregate((Account?)null, Account.Evolve);

        state.ShouldBe(new Account(AccountId, Owner, AccountKind.Individual, "Sales", "Anna", "anna@example.com"));
    }

    [Theory]
    [InlineData(null, AccountViolations.TitleRequired)]
    [InlineData("   ", AccountViolations.TitleRequired)]
    public void without_a_title_nothing_is_created(string? title, string code) =>
        When(new AccountDraft(title, "Anna", "anna@example.com")).ShouldBeRefusedWith("Title", code);

    [Fact]
    public void a_title_of_101_characters_is_refused_and_100_is_accepted()
    {
        When(new AccountDraft(new string('t', 101), "", "anna@example.com")).ShouldBeRefusedWith("Title", AccountViolations.TitleTooLong);
        When(new AccountDraft(new string('t', 100), "", "anna@example.com")).IsAccepted.ShouldBeTrue();
    }

    [Theory]
    [InlineData("Sales")]
    [InlineData(" sales ")]
    [InlineData("SALES")]
    public void a_title_the_owner_already_uses_is_refused_whatever_its_case(string title) =>
        When(new AccountDraft(title, "", "anna@example.com"), "Support", "Sales").ShouldBeRefusedWith("Title", AccountViolations.TitleTaken);

    [Theory]
    [InlineData("anna")]
    [InlineData("anna@")]
    [InlineData("@example.com")]
    [InlineData("Anna <anna@example.com>")]
    [InlineData("anna@example..com")]
    [InlineData("anna smirnova@example.com")]
    public void an_address_that_is_not_an_email_address_is_refused(string address) =>
        When(new AccountDraft("Sales", "", address)).ShouldBeRefusedWith("Address", AccountViolations.AddressInvalid);

    [Fact]
    public void a_missing_address_is_asked_for() =>
        When(new AccountDraft("Sales", "", "")).ShouldBeRefusedWith("Address", AccountViolations.AddressRequired);

    [Fact]
    public void every_broken_rule_is_reported_at_once()
    {
        var decision = When(new AccountDraft("", new string('n', 201), "nope"));

        decision.Violations.Select(v => v.Code).ShouldBe(
            [AccountViolations.TitleRequired, AccountViolations.NameTooLong, AccountViolations.AddressInvalid], ignoreOrder: true);
        decision.Events.ShouldBeEmpty();
    }
}
