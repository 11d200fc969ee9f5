using MailAccounts.Domain.Accounts;
using static MailAccounts.Specs.Domain.Accounts.SalesAccount;

namespace MailAccounts.Specs.Domain.Accounts;

public sealed class trusting_a_certificate
{
    private static readonly string Fingerprint = new('A', 64);

    [Fact]
    public void a_certificate_is_trusted_by_host_in_lower_case_and_fingerprint_in_upper_case() =>
        Given.Account(Created).When(a => AccountDecisions.TrustCertificate(a, "IMAP.example.com", Fingerprint.ToLowerInvariant(), Owner, Now))
            .Then(new CertificateTrusted(Id, "imap.example.com", Fingerprint, Owner, Now));

    [Fact]
    public void trusting_it_again_is_no_change() =>
        Given.Account([.. Created, new CertificateTrusted(Id, "imap.example.com", Fingerprint, Owner, Now)])
            .When(a => AccountDecisions.TrustCertificate(a, "imap.example.com", Fingerprint, Owner, Now)).ThenNothing();

    [Fact]
    public void the_trusted_certificate_is_in_the_accounts_state() =>
        Given.Account([.. Created, new CertificateTrusted(Id, "imap.example.com", Fingerprint, Owner, Now)])
            .State!.Trusts("IMAP.example.com", Fingerprint).ShouldBeTrue();

    [Fact]
    public void what_is_not_a_sha256_fingerprint_is_refused() =>
        Given.Account(Created).When(a => AccountDecisions.TrustCertificate(a, "imap.example.com", "not-a-fingerprint", Owner, Now))
            .ThenRefused("Fingerprint", AccountViolations.FingerprintInvalid);
}
