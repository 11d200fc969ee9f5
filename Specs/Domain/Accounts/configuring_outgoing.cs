using MailAccounts.Domain.Accounts;
using MailAccounts.Domain.Common;
using MailAccounts.Domain.Outgoing;
using static MailAccounts.Specs.Domain.Accounts.SalesAccount;

namespace MailAccounts.Specs.Domain.Accounts;

/// <summary>SaveAccount's outgoing part (Domain/Accounts/ConfiguringOutgoing.cs): OutgoingConfigured.</summary>
public sealed class configuring_outgoing
{
    [Fact]
    public void the_outgoing_name_and_address_default_to_the_incoming_ones() =>
        Given.Account(Created).State!.Outgoing.ShouldBe(new OutgoingSettings("Anna Smirnova", "anna@example.com", "boss@example.com", null));

    [Fact]
    public void a_typed_name_and_address_are_sent_as() =>
        Given.Account(Created).When(Save(Unchanged with { OutgoingName = " Sales team ", OutgoingAddress = "sales@example.com" }))
            .Then(new OutgoingConfigured(Id, "Sales team", "sales@example.com", "boss@example.com", null, Owner, Now));

    [Fact]
    public void a_typed_address_must_be_an_address_and_a_typed_name_not_too_long()
    {
        Given.Account().When(Save(Form with { OutgoingAddress = "sales" })).ThenRefused("OutgoingAddress", AccountViolations.AddressInvalid);
        Given.Account().When(Save(Form with { OutgoingName = new string('n', 201) })).ThenRefused("OutgoingName", AccountViolations.NameTooLong);
    }

    [Fact]
    public void the_forward_address_must_be_an_address() =>
        Given.Account().When(Save(Form with { ForwardTo = "boss" })).ThenRefused("ForwardTo", AccountViolations.AddressInvalid);

    [Fact]
    public void only_the_users_own_servers_or_the_system_default_can_be_chosen()
    {
        Given.Account().When(Save(Form with { OutgoingServerId = OwnServer })).Decision.IsAccepted.ShouldBeTrue();
        Given.Account().When(Save(Form with { OutgoingServerId = Guid.NewGuid() }))
            .ThenRefused("OutgoingServerId", AccountViolations.UnknownOutgoingServer);
    }

    [Fact]
    public void the_system_default_server_sends_only_from_the_allowed_domains()
    {
        var allowed = Context() with { SystemSenderDomains = ["corp.example"] };

        Given.Account().When(Save(Form, allowed)).Decision.Violations
            .ShouldBe([new Violation("OutgoingAddress", OutgoingViolations.SenderDomainNotAllowed, SenderDomains.Describe(["corp.example"]))]);
        Given.Account().When(Save(Form with { OutgoingAddress = "anna@corp.example" }, allowed)).Decision.IsAccepted.ShouldBeTrue();
        Given.Account().When(Save(Form with { OutgoingServerId = OwnServer }, allowed)).Decision.IsAccepted.ShouldBeTrue();
    }
}
