using MailAccounts.Domain.Accounts;
using static MailAccounts.Specs.Domain.Accounts.SalesAccount;

namespace MailAccounts.Specs.Domain.Accounts;

/// <summary>SaveAccount's signature part (Domain/Accounts/AttachingSignature.cs): SignatureAttached.</summary>
public sealed class attaching_signature
{
    [Fact]
    public void a_new_account_without_a_signature_records_none() =>
        Given.Account().When(Save(Form)).Events.OfType<SignatureAttached>().ShouldBeEmpty();

    [Fact]
    public void an_attached_signature_is_detached_by_choosing_none() =>
        Given.Account([.. Created, new SignatureAttached(Id, OwnSignature, Owner, Now)]).When(Save(Unchanged))
            .Then(new SignatureAttached(Id, null, Owner, Now));

    [Fact]
    public void attaching_it_is_recorded_once() =>
        Given.Account(Created).When(Save(Unchanged with { SignatureId = OwnSignature })).Then(new SignatureAttached(Id, OwnSignature, Owner, Now));

    [Fact]
    public void a_signature_that_is_not_the_users_is_refused() =>
        Given.Account(Created).When(Save(Unchanged with { SignatureId = Guid.NewGuid() })).ThenRefused("SignatureId", AccountViolations.UnknownSignature);
}
