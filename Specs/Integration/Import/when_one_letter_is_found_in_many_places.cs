using Marten;
using MailAccounts.Domain.Import;
using MailAccounts.Infrastructure.Import;
using MailAccounts.Specs.Support;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using Wolverine;

namespace MailAccounts.Specs.Integration.Import;

/// <summary>
/// A letter is its normalised Message-ID and the hash of its content without the delivery's trace fields: the same
/// letter in two accounts or two folders is one letter with two places, two different messages that share a
/// Message-ID are two letters, a folder recreated under a new UIDVALIDITY adds none, and a letter deleted in the system
/// is never imported again.
/// </summary>
[Collection(ImportCollection.Name)]
public sealed class when_one_letter_is_found_in_many_places(ProductFixture product)
{
    [Fact]
    public async Task one_letter_delivered_to_two_accounts_is_one_letter_with_two_places()
    {
        using var first = await product.ImportingAccountAsync();
        using var second = await product.ImportingAccountAsync(user: first.User);
        var letter = Importing.Message("To both of us");
        // Delivered to each mailbox on its own: each copy has its own Received, Return-Path and Delivered-To.
        await product.DeliverAsync(first.Mailbox, [letter]);
        await product.DeliverAsync(second.Mailbox, [letter]);
        var copies = (await product.ServerCopyAsync(first.Mailbox, "INBOX")).Single().Value.Raw;
        copies.ShouldNotBe((await product.ServerCopyAsync(second.Mailbox, "INBOX")).Single().Value.Raw, "the two copies differ in their trace fields");

        await product.ImportAsync(first.AccountId);
        await product.ImportAsync(second.AccountId);

        var stored = (await product.LettersAsync(first.AccountId)).ShouldHaveSingleItem();
        stored.Places.Select(p => p.AccountId).ShouldBe([first.AccountId, second.AccountId], ignoreOrder: true);
        (await product.LettersAsync(second.AccountId)).ShouldHaveSingleItem().Id.ShouldBe(stored.Id);
    }

    [Fact]
    public async Task two_different_messages_sharing_a_message_id_are_two_letters()
    {
        using var account = await product.ImportingAccountAsync();
        await product.AppendAsync(account.Mailbox, "INBOX",
            [Importing.Message("One", messageId: "shared@specs.test", body: "first text"), Importing.Message("Two", messageId: "shared@specs.test", body: "second text")]);

        (await product.ImportAsync(account.AccountId)).Sum(r => r.Imported).ShouldBe(2);

        var letters = await product.LettersAsync(account.AccountId);
        letters.Count.ShouldBe(2);
        letters.ShouldAllBe(l => l.Headers.MessageId == "shared@specs.test");
        letters.Select(l => l.ContentHash).Distinct().Count().ShouldBe(2);
    }

    [Fact]
    public async Task a_letter_in_two_folders_is_one_letter_with_two_places_and_a_rerun_adds_nothing()
    {
        using var account = await product.ImportingAccountAsync(folders: ["INBOX", "Archive"]);
        var letter = Importing.Message("Filed twice");
        await product.AppendAsync(account.Mailbox, "INBOX", [letter]);
        await product.AppendAsync(account.Mailbox, "Archive", [letter]);

        var runs = await product.ImportAsync(account.AccountId);

        runs.Sum(r => r.Imported).ShouldBe(1);
        runs.Sum(r => r.FoundAgain).ShouldBe(1);
        (await product.LettersAsync(account.AccountId)).ShouldHaveSingleItem().Places.Select(p => p.Folder).ShouldBe(["INBOX", "Archive"], ignoreOrder: true);
        (await product.ImportAsync(account.AccountId)).Sum(r => r.Fetched).ShouldBe(0);
    }

    [Fact]
    public async Task a_folder_recreated_with_the_same_mail_under_a_new_uidvalidity_adds_no_letter()
    {
        using var account = await product.ImportingAccountAsync(folders: ["Projects"]);
        MimeMessage[] mail = [Importing.Message("Plan"), Importing.Message("Budget")];
        await product.AppendAsync(account.Mailbox, "Projects", mail);
        await product.ImportAsync(account.AccountId);
        var before = await product.LettersAsync(account.AccountId);
        var validity = before[0].Places.Single().UidValidity;

        // Dovecot gives a new folder a new UIDVALIDITY from the clock, in seconds: made again within the same second, it
        // would get the same one, so the folder is made again until its UIDVALIDITY is another.
        for (var again = true; again;)
        {
            using var client = await product.SignInAsync(account.Mailbox);
            await (await client.GetFolderAsync("Projects")).DeleteAsync();
            var made = (await client.GetFolder(client.PersonalNamespaces[0]).CreateAsync("Projects", true)).ShouldNotBeNull();
            await made.StatusAsync(MailKit.StatusItems.UidValidity);
            again = made.UidValidity == validity;
            await client.DisconnectAsync(true);
        }

        await product.AppendAsync(account.Mailbox, "Projects", mail);
        var rerun = await product.ImportAsync(account.AccountId);

        var recreated = (await product.ServerCopyAsync(account.Mailbox, "Projects")).Count;
        rerun.Sum(r => r.Imported).ShouldBe(0);
        rerun.Sum(r => r.FoundAgain).ShouldBe(2, $"each letter is matched by its key under the new UIDVALIDITY ({recreated} messages; {System.Text.Json.JsonSerializer.Serialize(rerun)})");
        var after = await product.LettersAsync(account.AccountId);
        after.Select(l => l.Id).ShouldBe(before.Select(l => l.Id), ignoreOrder: true);
        after.ShouldAllBe(l => l.Places.Any(p => p.UidValidity == validity) && l.Places.Any(p => p.UidValidity != validity));
    }

    [Fact]
    public async Task a_letter_deleted_in_the_system_is_not_imported_again()
    {
        using var account = await product.ImportingAccountAsync(folders: ["INBOX", "Archive"]);
        var letter = Importing.Message("Unwanted");
        var uid = (await product.AppendAsync(account.Mailbox, "INBOX", [letter])).Single();
        await product.AppendAsync(account.Mailbox, "Archive", []);
        await product.ImportAsync(account.AccountId);
        var imported = (await product.LettersAsync(account.AccountId)).ShouldHaveSingleItem();

        await using (var scope = product.Services.CreateAsyncScope())
        {
            var outcome = await scope.ServiceProvider.GetRequiredService<MailAccounts.Infrastructure.Common.Commands>()
                .InvokeAsync(new DeleteLetter(account.Actor, imported.Id), CancellationToken.None);
            outcome.Succeeded.ShouldBeTrue();
        }

        // Found again: the same message filed in another folder, and the same UID asked for by hand.
        await product.AppendAsync(account.Mailbox, "Archive", [letter]);
        await product.ImportAsync(account.AccountId);
        await product.Services.GetRequiredService<ImportEngine>().ImportAccountAsync(
            account.AccountId, account.UserId, CancellationToken.None, only: ("INBOX", [uid]));

        var after = (await product.LettersAsync(account.AccountId)).ShouldHaveSingleItem();
        after.Deleted.ShouldBeTrue();
        after.Places.ShouldHaveSingleItem().Folder.ShouldBe("INBOX");
        await using var session = product.Services.GetRequiredService<IDocumentStore>().QuerySession();
        (await ImportedMail.PageAsync(session, account.Actor, 1, 50, CancellationToken.None)).Total.ShouldBe(0);
        (await ImportedMail.FindAsync(session, account.Actor, imported.Id, CancellationToken.None)).ShouldBeNull();
        (await session.Events.FetchStreamAsync(imported.Id)).Select(e => e.Data.GetType()).ShouldBe([typeof(LetterImported), typeof(LetterDeleted)]);
    }

    [Fact]
    public async Task messages_chosen_by_hand_are_imported_from_an_account_that_does_not_import()
    {
        using var account = await product.ImportingAccountAsync(on: false);
        var uids = await product.AppendAsync(account.Mailbox, "INBOX", [Importing.Message("Chosen"), Importing.Message("Left"), Importing.Message("Also chosen")]);
        var chosen = new[] { uids[0], uids[2] };

        await using (var scope = product.Services.CreateAsyncScope())
        {
            var outcome = await scope.ServiceProvider.GetRequiredService<MailAccounts.Infrastructure.Common.Commands>()
                .InvokeAsync(new ImportMessages(account.Actor, account.AccountId, "INBOX", chosen), CancellationToken.None);
            outcome.Succeeded.ShouldBeTrue();
        }

        var letters = await when_a_folder_is_imported.EventuallyAsync(() => product.LettersAsync(account.AccountId), l => l.Count == 2);
        letters.Select(l => l.Headers.Subject).Order().ShouldBe(["Also chosen", "Chosen"]);
        await using var session = product.Services.GetRequiredService<IDocumentStore>().QuerySession();
        var validity = letters[0].Places.Single().UidValidity;
        (await ImportedMail.ImportedUidsAsync(session, account.AccountId, "INBOX", validity, [.. uids.Select(u => u.ToString(System.Globalization.CultureInfo.InvariantCulture))], CancellationToken.None))
            .Order().ShouldBe(chosen.Select(u => u.ToString(System.Globalization.CultureInfo.InvariantCulture)).Order());
    }

    [Fact]
    public async Task nobody_imports_by_hand_from_an_account_they_may_not_use()
    {
        using var owner = await product.ImportingAccountAsync(on: false);
        using var stranger = await product.NewUserAsync();
        var uid = (await product.AppendAsync(owner.Mailbox, "INBOX", [Importing.Message("Private")])).Single();
        var strangerId = await product.UserIdAsync(stranger.Login);

        await using var session = product.Services.GetRequiredService<IDocumentStore>().QuerySession();
        var (outcome, queued) = await ImportMessagesHandler.Handle(
            new ImportMessages(new MailAccounts.Domain.Accounts.Actor(strangerId, false), owner.AccountId, "INBOX", [uid]), session, CancellationToken.None);

        outcome.Succeeded.ShouldBeFalse();
        queued.ShouldBeEmpty("a refused press queues no import");
        (await product.LettersAsync(owner.AccountId)).ShouldBeEmpty();
    }
}
