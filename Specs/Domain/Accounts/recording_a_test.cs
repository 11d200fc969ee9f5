using MailAccounts.Domain.Accounts;
using MailAccounts.Domain.Common;
using static MailAccounts.Specs.Domain.Accounts.SalesAccount;

namespace MailAccounts.Specs.Domain.Accounts;

/// <summary>The outcome events of testing an account (Domain/Accounts/RecordingTests.cs): ConnectionTested and TestEmailSent.</summary>
public sealed class recording_a_test
{
    [Fact]
    public void a_connection_test_records_the_stage_that_failed_and_what_the_server_said() =>
        AccountDecisions.RecordTest(Id, new AccountTest(false, "SignIn", "Authentication failed."), Owner, Now)
            .ShouldBe(new ConnectionTested(Id, false, "SignIn", "Authentication failed.", Owner, Now));

    [Fact]
    public void a_passed_test_names_no_failed_stage() =>
        AccountDecisions.RecordTest(Id, new AccountTest(true, "SignIn", "Signed in."), Owner, Now)
            .ShouldBe(new ConnectionTested(Id, true, null, "Signed in.", Owner, Now));

    [Fact]
    public void a_test_email_records_where_it_went() =>
        AccountDecisions.RecordTest(Id, new AccountTest(true, null, "Accepted.", "anna@example.com"), Owner, Now)
            .ShouldBe(new TestEmailSent(Id, "anna@example.com", true, "Accepted.", Owner, Now));

    [Fact]
    public void a_test_leaves_the_accounts_settings_as_they_were()
    {
        IOutcomeEvent tested = AccountDecisions.RecordTest(Id, new AccountTest(false, "Connect", "Refused."), Owner, Now);

        Account.Settings(Given.Account([.. Created, tested]).State).ShouldBe(Account.Settings(Given.Account(Created).State));
    }
}
