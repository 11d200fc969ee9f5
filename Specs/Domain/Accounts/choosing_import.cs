using MailAccounts.Domain.Accounts;
using MailAccounts.Domain.Import;
using static MailAccounts.Specs.Domain.Accounts.SalesAccount;

namespace MailAccounts.Specs.Domain.Accounts;

/// <summary>SaveAccount's import part (Domain/Accounts/ImportingMail.cs): ImportChosen.</summary>
public sealed class choosing_import
{
    private static readonly DateOnly Today = DateOnly.FromDateTime(Now.UtcDateTime);

    private static readonly DateOnly November = new(2026, 11, 1);

    private static object[] Importing => [.. Created, new ImportChosen(Id, true, [], November, Owner, Now)];

    private static readonly AccountForm ImportForm = Unchanged with { ImportOn = true, ImportSince = November };

    [Fact]
    public void a_new_account_with_import_off_records_no_import_choice() =>
        Given.Account().When(Save(Form)).Events.OfType<ImportChosen>().ShouldBeEmpty();

    [Fact]
    public void a_new_account_with_import_on_records_it_from_the_last_30_days_when_no_day_is_given()
    {
        var saved = Given.Account().When(Save(Form with { ImportOn = true }));

        var chosen = saved.Events.OfType<ImportChosen>().Single();
        (chosen.On, chosen.Since, chosen.Folders!.Count).ShouldBe((true, ImportRules.DefaultSince(Now), 0));
        saved.After!.Imports.ShouldBeTrue();
        saved.After.ImportFolders.ShouldBe(["INBOX", "Projects"]);
        ImportRules.DefaultSince(Now).ShouldBe(Today.AddDays(-30));
    }

    [Fact]
    public void turning_import_on_records_the_day_chosen() =>
        Given.Account(Created).When(Save(ImportForm)).Then(new ImportChosen(Id, true, [], November, Owner, Now));

    [Fact]
    public void all_mail_has_no_first_day_whatever_day_the_form_still_holds() =>
        Given.Account(Created).When(Save(ImportForm with { ImportAll = true }))
            .Then(new ImportChosen(Id, true, [], null, Owner, Now));

    [Fact]
    public void saving_the_same_choice_again_records_nothing() =>
        Given.Account(Importing).When(Save(ImportForm)).ThenNothing();

    [Fact]
    public void an_account_that_never_imported_and_stays_off_records_nothing_whatever_day_the_form_holds() =>
        Given.Account(Created).When(Save(Unchanged with { ImportSince = Today.AddDays(-3), ImportFolders = ["Projects"] })).ThenNothing();

    [Fact]
    public void each_of_the_three_changes_records_one_choice_with_all_three()
    {
        Given.Account(Importing).When(Save(ImportForm with { ImportOn = false }))
            .Then(new ImportChosen(Id, false, [], November, Owner, Now));
        Given.Account(Importing).When(Save(ImportForm with { ImportSince = November.AddDays(-10) }))
            .Then(new ImportChosen(Id, true, [], November.AddDays(-10), Owner, Now));
        Given.Account(Importing).When(Save(ImportForm with { ImportFolders = [" Projects ", "", "Projects", "Archive"] }))
            .Then(new ImportChosen(Id, true, ["Projects", "Archive"], November, Owner, Now));
    }

    [Fact]
    public void chosen_folders_are_imported_instead_of_the_monitored_ones() =>
        Given.Account(Importing).When(Save(ImportForm with { ImportFolders = ["Archive"] })).After!.ImportFolders.ShouldBe(["Archive"]);

    [Fact]
    public void a_day_in_the_future_is_refused_and_today_anywhere_on_earth_is_accepted()
    {
        Given.Account(Created).When(Save(ImportForm with { ImportSince = Today.AddDays(2) })).ThenRefused("ImportSince", AccountViolations.ImportSinceInFuture);
        Given.Account(Created).When(Save(ImportForm with { ImportSince = Today.AddDays(1) })).Decision.IsAccepted.ShouldBeTrue();
        Given.Account(Created).When(Save(ImportForm with { ImportSince = Today })).Decision.IsAccepted.ShouldBeTrue();
    }

    [Fact]
    public void more_than_200_import_folders_are_refused_and_200_are_accepted()
    {
        string[] Folders(int count) => [.. Enumerable.Range(1, count).Select(i => $"Folder {i}")];

        Given.Account(Created).When(Save(ImportForm with { ImportFolders = Folders(201) })).ThenRefused("ImportFolders", AccountViolations.TooManyFolders);
        Given.Account(Created).When(Save(ImportForm with { ImportFolders = Folders(200) })).Decision.IsAccepted.ShouldBeTrue();
    }

    [Fact]
    public void a_refused_import_choice_saves_nothing_else_of_the_form()
    {
        var refused = Given.Account(Created).When(Save(ImportForm with { Title = "Renamed", ImportSince = Today.AddDays(5) }));

        refused.Decision.IsAccepted.ShouldBeFalse();
        refused.Events.ShouldBeEmpty();
    }

    [Fact]
    public void a_pop3_account_imports_its_inbox_whatever_folders_the_form_names()
    {
        var saved = Given.Account().When(Save(Form with { Protocol = IncomingProtocol.Pop3, ImportOn = true, ImportFolders = ["Projects"], ImportAll = true }));

        saved.Events.OfType<ImportChosen>().Single().Folders.ShouldBeEmpty();
        saved.After!.ImportFolders.ShouldBe(["INBOX"]);
    }

    [Fact]
    public void the_history_compares_the_three_import_settings()
    {
        var settings = Given.Account([.. Created, new ImportChosen(Id, true, ["Projects", "Archive"], null, Owner, Now)]).State!;

        MailAccounts.Domain.Accounts.Account.Settings(settings).Where(s => s.Key.StartsWith("Import", StringComparison.Ordinal))
            .ShouldBe([new("Import", "on"), new("ImportFolders", "Projects, Archive"), new("ImportSince", "")]);
    }
}
