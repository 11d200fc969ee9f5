using MailAccounts.Domain.Accounts;
using static MailAccounts.Specs.Domain.Accounts.SalesAccount;

namespace MailAccounts.Specs.Domain.Accounts;

/// <summary>SaveAccount as a whole; each part's own rules are in the spec named after its file in Domain/Accounts.</summary>
public sealed class saving_an_account
{
    [Fact]
    public void a_new_account_records_each_part_of_the_form_once() =>
        Given.Account().When(Save(Form)).Then(Created);

    [Fact]
    public void saving_the_unchanged_form_appends_nothing() =>
        Given.Account(Created).When(Save(Unchanged)).ThenNothing();

    [Fact]
    public void an_edit_appends_only_what_changed() =>
        Given.Account(Created).When(Save(Unchanged with { Title = "Sales desk", SentFolder = "Sent Items" })).Then(
            new AccountDetailsChanged(Id, "Sales desk", "Anna Smirnova", "anna@example.com", Owner, Now),
            new SentFolderSelected(Id, "Sent Items", Owner, Now));

    [Fact]
    public void every_broken_rule_is_reported_at_once()
    {
        var broken = Form with
        {
            Title = "", Name = new string('n', 201), Address = "nope", Host = "", Login = " ",
            MonitoredFolders = [.. Enumerable.Range(0, 201).Select(i => $"F{i}")], ForwardTo = "boss", SignatureId = Guid.NewGuid(),
        };
        var decision = Given.Account().When(Save(broken)).Decision;

        decision.Violations.Select(v => (v.Field, v.Code)).ShouldBe(
        [
            ("Title", AccountViolations.TitleRequired), ("Name", AccountViolations.NameTooLong), ("Address", AccountViolations.AddressInvalid),
            ("Host", AccountViolations.HostRequired), ("Login", AccountViolations.LoginRequired), ("MonitoredFolders", AccountViolations.TooManyFolders),
            ("ForwardTo", AccountViolations.AddressInvalid), ("SignatureId", AccountViolations.UnknownSignature),
        ], ignoreOrder: true);
        decision.Events.ShouldBeEmpty();
    }

    [Fact]
    public void a_deleted_account_frees_its_title_and_cannot_be_saved()
    {
        var deleted = Given.Account(Created).When(a => AccountDecisions.DeleteAccount(a, Owner, Now)).After!;

        deleted.Deleted.ShouldBeTrue();
        deleted.TitleKey.ShouldNotBe(Given.Account(Created).State!.TitleKey);
        Given.Account([.. Created, new AccountDeleted(Id, Owner, Now)]).When(a => AccountDecisions.DeleteAccount(a, Owner, Now)).ThenNothing();
        Given.Account([.. Created, new AccountDeleted(Id, Owner, Now)]).When(Save(Form)).ThenRefused("", AccountViolations.Deleted);
    }
}
