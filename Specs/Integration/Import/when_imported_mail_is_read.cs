using System.Net;
using Marten;
using MailAccounts.Domain.Import;
using MailAccounts.Infrastructure.Import;
using MailAccounts.Specs.Browser;
using MailAccounts.Specs.Support;
using Microsoft.Extensions.DependencyInjection;

namespace MailAccounts.Specs.Integration.Import;

/// <summary>
/// Imported mail in the client, read from the database: the list (newest first, a page of the user's page size, one
/// account's or all), the letter rendered like live mail (sanitised, in the frame, images held back until Show images),
/// its attachments, thread and places, Delete in the system, and Could not import with Retry. The letters are put in
/// by the product's own intake and batch, at places of real accounts.
/// </summary>
[Collection(ProductCollection.Name)]
public sealed class when_imported_mail_is_read(ProductFixture product)
{
    private async Task<(TestUser User, Guid Account, string Title)> UserWithAccountAsync(TestUser? user = null, string title = "Imported")
    {
        user ??= await product.NewUserAsync();
        title = $"{title} {Guid.NewGuid():N}"[..(title.Length + 7)];
        var account = await product.AccountSendingAsAsync(user, await product.NewMailboxAsync(), title);
        return (user, account, title);
    }

    private static IReadOnlyList<string> Subjects(Page page) => page.Dom.Texts("#imported-letters tr[data-letter] [data-subject]");

    private static string FrameOf(Page page) => page.Dom.One("iframe[data-message-body]").GetAttribute("srcdoc") ?? "";

    [Fact]
    public async Task the_list_shows_a_page_of_the_users_page_size_newest_first_and_narrows_to_one_account()
    {
        var (user, account, title) = await UserWithAccountAsync();
        using var _ = user;
        var (_, other, otherTitle) = await UserWithAccountAsync(user, "Other");
        var empty = await user.Session.GetAsync("/Email/Imported");
        empty.Status.ShouldBe(HttpStatusCode.OK);
        empty.Dom.Has("[data-empty=\"imported\"]").ShouldBeTrue();

        await user.Session.SubmitAsync("/Email/Settings/General", new() { ["Input.CheckIntervalMinutes"] = "0", ["Input.Charset"] = "utf-8", ["Input.PageSize"] = "10" });
        foreach (var i in Enumerable.Range(1, 11))
        {
            await product.ImportLetterAsync(account, ImportedLetters.Message($"Letter {i:00}", date: DateTimeOffset.UtcNow.AddDays(-i),
                attachment: i == 1 ? ("notes.txt", "notes"u8.ToArray()) : null));
        }

        await product.ImportLetterAsync(other, ImportedLetters.Message("Elsewhere", date: DateTimeOffset.UtcNow.AddDays(-20)));

        var first = await user.Session.GetAsync("/Email/Imported");
        Subjects(first).ShouldBe(Enumerable.Range(1, 10).Select(i => $"Letter {i:00}"));
        first.Dom.Texts("#imported-letters [data-found-in]").ShouldAllBe(t => t == title);
        first.Dom.All("#imported-letters tr[data-letter]")[0].QuerySelector("[data-has-attachments]").ShouldNotBeNull();
        first.Dom.All("#imported-letters tr[data-letter]")[1].QuerySelector("[data-has-attachments]").ShouldBeNull();
        first.Dom.Has("[data-failed-count]").ShouldBeFalse();

        var second = await user.Session.GetAsync("/Email/Imported?p=2");
        Subjects(second).ShouldBe(["Letter 11", "Elsewhere"]);
        second.Dom.Texts("#imported-letters [data-found-in]").Last().ShouldBe(otherTitle);

        var narrowed = await user.Session.GetAsync($"/Email/Imported?account={other}");
        Subjects(narrowed).ShouldBe(["Elsewhere"]);
        narrowed.Dom.One($"#imported-account option[value=\"{other}\"]").HasAttribute("selected").ShouldBeTrue();
    }

    [Fact]
    public async Task the_letter_is_sanitised_and_its_images_wait_for_show_images()
    {
        var (user, account, _) = await UserWithAccountAsync();
        using var _ = user;
        var id = await product.ImportLetterAsync(account, ImportedLetters.Message("Hostile",
            "<p>Kept words</p><script>window.__pwned = 1</script><img src=\"https://images.example.org/pixel.png\" onerror=\"window.__pwned = 2\"><a href=\"javascript:alert(1)\">link</a>"));

        var letter = await user.Session.GetAsync($"/Email/Imported/Letter?id={id}");

        letter.Status.ShouldBe(HttpStatusCode.OK);
        letter.Dom.Text("[data-subject]").ShouldBe("Hostile");
        var frame = Dom.Parse(FrameOf(letter));
        frame.Text("body").ShouldContain("Kept words");
        frame.Has("script").ShouldBeFalse();
        frame.All("*").SelectMany(e => e.Attributes).ShouldNotContain(a => a.Name.StartsWith("on", StringComparison.OrdinalIgnoreCase));
        FrameOf(letter).ShouldNotContain("javascript:", Case.Insensitive);
        FrameOf(letter).ShouldNotContain("images.example.org");
        letter.Dom.One("iframe[data-message-body]").GetAttribute("sandbox").ShouldBe("allow-popups allow-popups-to-escape-sandbox");
        var shown = letter.Dom.One("#remote-blocked a").GetAttribute("href")!;

        var withImages = await user.Session.GetAsync(shown);
        FrameOf(withImages).ShouldContain("https://images.example.org/pixel.png");
        withImages.Dom.Has("#remote-blocked").ShouldBeFalse();
        Dom.Parse(FrameOf(withImages)).Has("script").ShouldBeFalse();
    }

    [Fact]
    public async Task every_message_of_the_hostile_corpus_loses_its_scripts_handlers_and_frames()
    {
        var (user, account, _) = await UserWithAccountAsync();
        using var _ = user;
        var failures = new List<string>();
        foreach (var name in HostileCorpus.Names)
        {
            var id = await product.ImportLetterAsync(account, HostileCorpus.Message(name));
            foreach (var images in new[] { false, true })
            {
                var letter = await user.Session.GetAsync($"/Email/Imported/Letter?id={id}&images={images}");
                if (letter.Status != HttpStatusCode.OK)
                {
                    failures.Add($"{name}: {(int)letter.Status}");
                    continue;
                }

                var frame = Dom.Parse(FrameOf(letter));
                var bad = frame.All("script, iframe, frame, object, embed, form, base, meta[http-equiv=refresh]").Select(e => e.LocalName)
                    .Concat(frame.All("*").SelectMany(e => e.Attributes).Where(a => a.Name.StartsWith("on", StringComparison.OrdinalIgnoreCase)).Select(a => a.Name))
                    .Concat(frame.All("[href], [src]").Select(e => e.GetAttribute("href") ?? e.GetAttribute("src") ?? "")
                        .Where(u => u.TrimStart().StartsWith("javascript:", StringComparison.OrdinalIgnoreCase)))
                    .ToArray();
                // The frame's own head holds one meta (its policy) and its base: those are the template's.
                var body = frame.Find("body");
                var inBody = body is null ? [] : body.QuerySelectorAll("script, iframe, frame, object, embed, form, base, meta").Select(e => e.LocalName).ToArray();
                if (inBody.Length > 0 || bad.Any(b => b is not ("base" or "meta")))
                {
                    failures.Add($"{name} (images {images}): {string.Join(", ", inBody.Concat(bad).Distinct())}");
                }
            }
        }

        failures.ShouldBeEmpty(string.Join(Environment.NewLine, failures));
    }

    [Fact]
    public async Task the_attachment_downloads_byte_identical_as_a_download()
    {
        var (user, account, _) = await UserWithAccountAsync();
        using var _ = user;
        var content = Enumerable.Range(0, 70_000).Select(i => (byte)(i * 7 % 251)).ToArray();
        var id = await product.ImportLetterAsync(account, ImportedLetters.Message("With a file", attachment: ("report ü.bin", content)));
        var letter = await user.Session.GetAsync($"/Email/Imported/Letter?id={id}");
        var link = letter.Dom.One("[data-attachment] a");
        link.TextContent.ShouldBe("report ü.bin");

        using var response = await user.Session.GetResponseAsync(link.GetAttribute("href")!);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.Content.ReadAsByteArrayAsync()).ShouldBe(content);
        response.Content.Headers.ContentDisposition!.DispositionType.ShouldBe("attachment");
        (response.Content.Headers.ContentDisposition.FileNameStar ?? response.Content.Headers.ContentDisposition.FileName).ShouldBe("report ü.bin");
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/octet-stream");
        response.Headers.GetValues("X-Content-Type-Options").ShouldContain("nosniff");
        (await user.Session.GetAsync($"/Email/Imported/Attachment?id={id}&n=1")).Status.ShouldBe(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("scan.pdf", false, 300_000)]
    [InlineData("prices.csv", true, 300_000)]
    [InlineData("tiny-scan.pdf", false, 5_000)]
    [InlineData("tiny-prices.csv", true, 5_000)]
    public async Task an_attachment_is_kept_compressed_only_when_compressing_pays_and_downloads_as_it_was(string name, bool compresses, int size)
    {
        var (user, account, _) = await UserWithAccountAsync();
        using var _ = user;
        var content = compresses
            ? System.Text.Encoding.ASCII.GetBytes(string.Concat(Enumerable.Range(0, size / 8).Select(i => $"item {i % 97};{i * 13 % 1000}\n")))[..size]
            : System.Security.Cryptography.RandomNumberGenerator.GetBytes(size);
        var id = await product.ImportLetterAsync(account, ImportedLetters.Message("Kept as it pays", attachment: (name, content)));

        using var response = await user.Session.GetResponseAsync($"/Email/Imported/Attachment?id={id}&n=0");

        (await response.Content.ReadAsByteArrayAsync()).ShouldBe(content);
        await using var session = product.Services.GetRequiredService<IDocumentStore>().QuerySession();
        var sha = (await session.LoadAsync<Letter>(id)).ShouldNotBeNull().Attachments.Single().Sha256;
        var (compressed, stored, byPostgres) = await StoredAsync(session, Configuration.AttachmentTable, sha);
        compressed.ShouldBe(compresses, "content that the trial on its start does not shrink by a tenth is kept as it is");
        (compresses ? stored < size / 2 : stored == size).ShouldBeTrue($"{stored} bytes stored of {size}");
        byPostgres.ShouldBeNull("PostgreSQL never compresses the content a second time");
        var letter = (await session.LoadAsync<Letter>(id)).ShouldNotBeNull();
        (await StoredAsync(session, Configuration.RawTable, letter.RawSha256)).Compressed.ShouldBeTrue("a message's text and headers always compress");
        (await product.StoredRawAsync(letter)).Length.ShouldBe((int)letter.Size);
    }

    [Fact]
    public async Task an_attachments_bytes_are_kept_once_and_its_messages_are_read_back_as_they_were()
    {
        var (user, account, _) = await UserWithAccountAsync();
        using var _ = user;
        var content = System.Security.Cryptography.RandomNumberGenerator.GetBytes(200_000);
        var raws = new List<byte[]>();
        var ids = new List<Guid>();
        foreach (var subject in new[] { "Drawings", "Drawings again" })
        {
            using var written = new MemoryStream();
            await ImportedLetters.Message(subject, attachment: (subject + ".bin", content)).WriteToAsync(written);
            raws.Add(written.ToArray());
            ids.Add(await product.ImportRawLetterAsync(account, written.ToArray()));
        }

        await using var session = product.Services.GetRequiredService<IDocumentStore>().QuerySession();
        var letters = (await session.LoadManyAsync<Letter>(ids)).OrderBy(l => ids.IndexOf(l.Id)).ToList();
        var sha = letters.Select(l => l.Attachments.Single().Sha256).Distinct().ShouldHaveSingleItem();
        for (var i = 0; i < letters.Count; i++)
        {
            (await product.StoredRawAsync(letters[i])).ShouldBe(raws[i], "the message reads back byte for byte, its attachment's text written back");
            var (_, stored, _) = await StoredAsync(session, Configuration.RawTable, letters[i].RawSha256);
            stored.ShouldBeLessThan(5_000, "the message is kept without the 270 KB of its attachment's base64 text");
            (await DetachedAsync(session, letters[i].RawSha256)).ShouldHaveSingleItem().Sha256.ShouldBe(sha);
        }

        (await StoredAsync(session, Configuration.AttachmentTable, sha)).Stored.ShouldBe(content.Length, "the attachment's bytes are kept once, as they are");
        using var response = await user.Session.GetResponseAsync($"/Email/Imported/Attachment?id={ids[1]}&n=0");
        (await response.Content.ReadAsByteArrayAsync()).ShouldBe(content);
        var page = await user.Session.GetAsync($"/Email/Imported/Letter?id={ids[1]}");
        page.Dom.Text("[data-attachment] a").ShouldBe("Drawings again.bin");
    }

    [Fact]
    public async Task base64_text_an_encoder_would_write_otherwise_stays_in_its_message()
    {
        var (user, account, _) = await UserWithAccountAsync();
        using var _ = user;
        var content = System.Security.Cryptography.RandomNumberGenerator.GetBytes(30_000);
        var encoded = Convert.ToBase64String(content);
        // Lines of 60 characters, then of 76: a writer of its own, whose text no encoder writes again from the bytes.
        var text = string.Join("\r\n", encoded[..6000].Chunk(60).Select(c => new string(c)).Concat(encoded[6000..].Chunk(76).Select(c => new string(c))));
        var raw = System.Text.Encoding.ASCII.GetBytes(
            "From: Sender <sender@specs.test>\r\nTo: reader@specs.test\r\nSubject: Odd lines\r\nMessage-ID: <odd-lines-" + Guid.NewGuid().ToString("N") + "@specs.test>\r\n"
            + "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nSee the file.\r\n"
            + "--b\r\nContent-Type: application/octet-stream\r\nContent-Disposition: attachment; filename=\"odd.bin\"\r\nContent-Transfer-Encoding: base64\r\n\r\n"
            + text + "\r\n--b--\r\n");

        var id = await product.ImportRawLetterAsync(account, raw);

        await using var session = product.Services.GetRequiredService<IDocumentStore>().QuerySession();
        var letter = (await session.LoadAsync<Letter>(id)).ShouldNotBeNull();
        (await product.StoredRawAsync(letter)).ShouldBe(raw);
        (await DetachedAsync(session, letter.RawSha256)).ShouldBeEmpty();
        (await StoredAsync(session, Configuration.RawTable, letter.RawSha256)).Stored.ShouldBeGreaterThan(content.Length, "the text stays in the message");
        using var response = await user.Session.GetResponseAsync($"/Email/Imported/Attachment?id={id}&n=0");
        (await response.Content.ReadAsByteArrayAsync()).ShouldBe(content);
    }

    [Fact]
    public async Task the_text_for_search_is_compressed_by_postgresql_with_lz4()
    {
        var (user, account, _) = await UserWithAccountAsync();
        using var _ = user;
        var message = ImportedLetters.Message("Long");
        message.Body = new MimeKit.TextPart("plain") { Text = string.Concat(Enumerable.Range(0, 400).Select(i => $"Строка {i} письма о поставке.\n")) };

        var id = await product.ImportLetterAsync(account, message);

        await using var session = product.Services.GetRequiredService<IDocumentStore>().QuerySession();
        var (compression, kept) = await RowAsync(session,
            $"select pg_column_compression(body), body like '%Строка 399 письма%' from {Configuration.TextTable} where letter_id = $1", id,
            row => (row.GetString(0), row.GetBoolean(1)));
        compression.ShouldBe("lz4", "the private PostgreSQL is built with LZ4");
        kept.ShouldBeTrue();
    }

    /// <summary>The parts of a raw message taken out of it (none when it is kept whole).</summary>
    private static Task<IReadOnlyList<DetachedPart>> DetachedAsync(IQuerySession session, string sha256) =>
        RowAsync(session, $"select detached::text from {Configuration.RawTable} where sha256 = $1", sha256,
            row => row.IsDBNull(0) ? [] : DetachedPart.FromJson(row.GetString(0)));

    /// <summary>How a content row is kept: by the product's compression, its stored length, and PostgreSQL's own compression of it (none).</summary>
    private static Task<(bool Compressed, int Stored, string? ByPostgres)> StoredAsync(IQuerySession session, string table, string sha256) =>
        RowAsync(session, $"select compressed, octet_length(content), pg_column_compression(content) from {table} where sha256 = $1", sha256,
            row => (row.GetBoolean(0), row.GetInt32(1), row.IsDBNull(2) ? null : row.GetString(2)));

    /// <summary>The one row the statement finds for <paramref name="key"/> ($1) in the product's tables, read by <paramref name="read"/>.</summary>
    private static async Task<T> RowAsync<T>(IQuerySession session, string sql, object key, Func<Npgsql.NpgsqlDataReader, T> read)
    {
        await using var connection = await ImportedMail.DataSourceOf(session).OpenConnectionAsync();
        await using var command = new Npgsql.NpgsqlCommand(sql, connection) { Parameters = { new() { Value = key } } };
        await using var reader = await command.ExecuteReaderAsync();
        (await reader.ReadAsync()).ShouldBeTrue("the row is there");
        return read(reader);
    }

    [Fact]
    public async Task an_html_attachment_is_downloaded_with_its_type_never_shown()
    {
        var (user, account, _) = await UserWithAccountAsync();
        using var _ = user;
        var id = await product.ImportLetterAsync(account, ImportedLetters.Message("Page attached", attachment: ("page.html", "<script>alert(1)</script>"u8.ToArray())));

        using var response = await user.Session.GetResponseAsync($"/Email/Imported/Attachment?id={id}&n=0");

        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/html");
        response.Content.Headers.ContentDisposition!.DispositionType.ShouldBe("attachment");
        response.Headers.GetValues("Content-Security-Policy").Single().ShouldContain("sandbox");
    }

    [Fact]
    public async Task the_thread_lists_its_letters_and_marks_the_one_open()
    {
        var (user, account, _) = await UserWithAccountAsync();
        using var _ = user;
        var start = await product.ImportLetterAsync(account, ImportedLetters.Message("Plans", messageId: "plans@specs.test", date: DateTimeOffset.UtcNow.AddHours(-3)));
        var reply = await product.ImportLetterAsync(account, ImportedLetters.Message("Re: Plans", messageId: "reply@specs.test", inReplyTo: "plans@specs.test", date: DateTimeOffset.UtcNow.AddHours(-2)));
        var answer = await product.ImportLetterAsync(account, ImportedLetters.Message("Re: Re: Plans", messageId: "answer@specs.test", inReplyTo: "reply@specs.test", date: DateTimeOffset.UtcNow.AddHours(-1)));
        await product.ImportLetterAsync(account, ImportedLetters.Message("Unrelated"));

        var letter = await user.Session.GetAsync($"/Email/Imported/Letter?id={reply}");

        letter.Dom.All("[data-thread] [data-thread-letter]").Select(e => e.GetAttribute("data-thread-letter")).ShouldBe([start.ToString(), reply.ToString(), answer.ToString()]);
        letter.Dom.Text("[data-thread] [aria-current=\"page\"]").ShouldBe("Re: Plans");
        letter.Dom.One($"[data-thread-letter=\"{start}\"] a").GetAttribute("href").ShouldBe($"/Email/Imported/Letter?id={start}");
    }

    [Fact]
    public async Task one_letter_found_through_two_accounts_lists_both_places()
    {
        var (user, first, firstTitle) = await UserWithAccountAsync();
        using var _ = user;
        var (_, second, secondTitle) = await UserWithAccountAsync(user, "Second");
        var message = ImportedLetters.Message("Twice");
        var one = await product.ImportLetterAsync(first, message, "INBOX");
        var other = await product.ImportLetterAsync(second, message, "Archive");
        other.ShouldBe(one);

        var letter = await user.Session.GetAsync($"/Email/Imported/Letter?id={one}");
        var list = await user.Session.GetAsync("/Email/Imported");

        letter.Dom.Texts("[data-found-in] [data-place]").ShouldBe([$"{firstTitle} » Inbox", $"{secondTitle} » Archive"]);
        Subjects(list).ShouldBe(["Twice"]);
        list.Dom.Text("#imported-letters [data-found-in]").ShouldBe($"{firstTitle}, {secondTitle}");
    }

    [Fact]
    public async Task a_deleted_letter_leaves_the_list_and_its_page_answers_404()
    {
        var (user, account, _) = await UserWithAccountAsync();
        using var _ = user;
        var id = await product.ImportLetterAsync(account, ImportedLetters.Message("To delete", attachment: ("a.txt", "a"u8.ToArray())));
        await product.ImportLetterAsync(account, ImportedLetters.Message("To keep"));
        var page = await user.Session.GetAsync($"/Email/Imported/Letter?id={id}");
        page.Dom.One("form[data-confirm] button[data-delete-letter]").ShouldNotBeNull();

        var deleted = await user.Session.SubmitAsync($"/Email/Imported/Letter?id={id}", new() { ["id"] = id.ToString() }, postTo: "/Email/Imported/Letter?handler=Delete");

        deleted.Status.ShouldBe(HttpStatusCode.Redirect);
        deleted.Location!.ToString().ShouldBe("/Email/Imported");
        var list = await user.Session.GetAsync("/Email/Imported");
        Subjects(list).ShouldBe(["To keep"]);
        list.Dom.Text("[data-imported-notice]").ShouldContain("deleted from the system");
        (await user.Session.GetAsync($"/Email/Imported/Letter?id={id}")).Status.ShouldBe(HttpStatusCode.NotFound);
        (await user.Session.GetAsync($"/Email/Imported/Attachment?id={id}&n=0")).Status.ShouldBe(HttpStatusCode.NotFound);
        (await user.Session.SubmitAsync("/Email/Imported", new() { ["id"] = id.ToString() }, postTo: "/Email/Imported/Letter?handler=Delete"))
            .Status.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task a_letter_too_large_to_keep_shows_its_header_and_attachments_without_links()
    {
        var (user, account, _) = await UserWithAccountAsync();
        using var _ = user;
        using var raw = new MemoryStream();
        await ImportedLetters.Message("Huge", attachment: ("film.mp4", new byte[2048])).WriteToAsync(raw);
        var id = await product.ImportRawLetterAsync(account, raw.ToArray(), tooLarge: true);

        var letter = await user.Session.GetAsync($"/Email/Imported/Letter?id={id}");

        letter.Status.ShouldBe(HttpStatusCode.OK);
        letter.Dom.Text("[data-subject]").ShouldBe("Huge");
        letter.Dom.Text("[data-from]").ShouldContain("sender@specs.test");
        letter.Dom.Text("[data-too-large]").ShouldBe("Too large to keep: open it on the server.");
        letter.Dom.Text("[data-attachment]").ShouldContain("film.mp4");
        letter.Dom.Has("[data-attachment] a").ShouldBeFalse();
        letter.Dom.Has("iframe[data-message-body]").ShouldBeFalse();
        (await user.Session.GetAsync($"/Email/Imported/Attachment?id={id}&n=0")).Status.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task a_message_that_could_not_be_imported_is_listed_and_retry_is_recorded()
    {
        var (user, account, title) = await UserWithAccountAsync();
        using var _ = user;
        var quarantined = await product.QuarantineMessageAsync(account, "FormatException: The message has no header fields", "INBOX", 77);

        var list = await user.Session.GetAsync("/Email/Imported");
        list.Dom.One("[data-failed-count]").GetAttribute("href").ShouldBe("/Email/Imported/Failed");
        list.Dom.Text("[data-failed-count]").ShouldBe("Could not import (1)");
        var failed = await user.Session.GetAsync("/Email/Imported/Failed");
        var row = failed.Dom.One($"tr[data-quarantined=\"{quarantined}\"]");
        row.TextContent.ShouldContain(title);
        row.QuerySelector("[data-folder]")!.TextContent.ShouldBe("Inbox");
        row.QuerySelector("[data-folder]")!.GetAttribute("data-folder").ShouldBe("INBOX");
        row.QuerySelector(".uid")!.TextContent.ShouldBe("77");
        row.QuerySelector("[data-reason]")!.TextContent.ShouldBe("FormatException: The message has no header fields");
        row.QuerySelector("[data-attempts]")!.TextContent.ShouldBe("1");
        row.QuerySelectorAll("time").Length.ShouldBe(2);

        var retried = await user.Session.SubmitAsync("/Email/Imported/Failed", new() { ["id"] = quarantined.ToString() }, handler: "Retry");

        retried.Status.ShouldBe(HttpStatusCode.Redirect);
        await using (var session = product.Services.GetRequiredService<IDocumentStore>().QuerySession())
        {
            var events = await session.Events.FetchStreamAsync(quarantined);
            events.Select(e => e.Data).OfType<QuarantineRetryAsked>().ShouldHaveSingleItem().By.ShouldBe(await product.UserIdAsync(user.Login));
        }

        var after = await user.Session.GetAsync("/Email/Imported/Failed");
        after.Dom.Has($"tr[data-quarantined=\"{quarantined}\"] [data-retry-asked]").ShouldBeTrue();
        after.Dom.Text("[data-imported-notice]").ShouldContain("tried again");
    }

    [Fact]
    public async Task the_client_links_imported_mail_and_shows_each_importing_accounts_state()
    {
        var (user, account, title) = await UserWithAccountAsync();
        using var _ = user;
        var (_, idle, _) = await UserWithAccountAsync(user, "Idle");
        var userId = await product.UserIdAsync(user.Login);
        // No scheduled check: the engine's own progress would replace the one this spec writes.
        await user.Session.SubmitAsync("/Email/Settings/General", new() { ["Input.CheckIntervalMinutes"] = "0", ["Input.Charset"] = "utf-8", ["Input.PageSize"] = "50" });
        await product.ChooseImportAsync(account, userId, true, null);
        var store = product.Services.GetRequiredService<IDocumentStore>();
        await using (var session = store.LightweightSession())
        {
            session.Store(new ImportProgress(account, true, 3, 10, DateTimeOffset.UtcNow, null, null, 3));
            await session.SaveChangesAsync();
        }

        var client = await user.Session.GetAsync($"/Email?account={idle}&inline=true");

        client.Dom.One("[data-imported-entry] a.imported-link").GetAttribute("href").ShouldBe("/Email/Imported");
        var state = client.Dom.One($"[data-import-progress=\"{account}\"]");
        state.TextContent.ShouldContain(title);
        state.QuerySelector("[data-import-text]")!.TextContent.ShouldBe("Importing 3 of 10");
        state.QuerySelector("progress")!.GetAttribute("value").ShouldBe("3");
        state.QuerySelector("progress")!.GetAttribute("max").ShouldBe("10");
        client.Dom.Has($"[data-import-progress=\"{idle}\"]").ShouldBeFalse();

        await using (var session = store.LightweightSession())
        {
            session.Store(new ImportProgress(account, false, 10, 10, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow, null, 42));
            await session.SaveChangesAsync();
        }

        var done = await user.Session.GetAsync($"/Email?account={idle}&inline=true");
        done.Dom.One($"[data-import-progress=\"{account}\"] [data-import-text]").TextContent.ShouldBe("Imported 42");
        done.Dom.Has($"[data-import-progress=\"{account}\"] progress").ShouldBeFalse();
    }

    [Fact]
    public async Task mail_imported_by_the_engine_from_the_server_reads_as_it_was_sent()
    {
        using var importing = await product.ImportingAccountAsync();
        var content = Enumerable.Range(0, 40_000).Select(i => (byte)(i * 31 % 256)).ToArray();
        await product.AppendAsync(importing.Mailbox, "INBOX",
            [ImportedLetters.Message("From the server", "<p>Sent <b>bold</b></p>", ("scan.bin", content))]);
        await product.ImportAsync(importing.AccountId);

        var list = await importing.User.Session.GetAsync("/Email/Imported");
        Subjects(list).ShouldBe(["From the server"]);
        var letter = await importing.User.Session.GetAsync(list.Dom.One("#imported-letters a[data-subject]").GetAttribute("href")!);
        Dom.Parse(FrameOf(letter)).Find("b")!.TextContent.ShouldBe("bold");
        letter.Dom.Text("[data-found-in] [data-place]").ShouldEndWith("» Inbox");
        using var download = await importing.User.Session.GetResponseAsync(letter.Dom.One("[data-attachment] a").GetAttribute("href")!);
        (await download.Content.ReadAsByteArrayAsync()).ShouldBe(content);
    }

    [Fact]
    public async Task another_users_letter_and_failed_message_answer_404()
    {
        var (owner, account, _) = await UserWithAccountAsync();
        using var _ = owner;
        using var stranger = await product.NewUserAsync();
        var id = await product.ImportLetterAsync(account, ImportedLetters.Message("Not yours", attachment: ("a.txt", "a"u8.ToArray())));
        var quarantined = await product.QuarantineMessageAsync(account, "broken");

        (await stranger.Session.GetAsync($"/Email/Imported/Letter?id={id}")).Status.ShouldBe(HttpStatusCode.NotFound);
        (await stranger.Session.GetAsync($"/Email/Imported/Attachment?id={id}&n=0")).Status.ShouldBe(HttpStatusCode.NotFound);
        (await stranger.Session.GetAsync($"/Email/Imported?account={account}")).Status.ShouldBe(HttpStatusCode.NotFound);
        var list = await stranger.Session.GetAsync("/Email/Imported");
        list.Html.ShouldNotContain("Not yours");
        (await stranger.Session.GetAsync("/Email/Imported/Failed")).Dom.Has($"tr[data-quarantined=\"{quarantined}\"]").ShouldBeFalse();
        (await stranger.Session.SubmitAsync("/Email/Imported/Failed", new() { ["id"] = quarantined.ToString() }, handler: "Retry")).Status.ShouldBe(HttpStatusCode.NotFound);
        (await stranger.Session.SubmitAsync("/Email/Imported", new() { ["id"] = id.ToString() }, postTo: "/Email/Imported/Letter?handler=Delete")).Status.ShouldBe(HttpStatusCode.NotFound);
        (await owner.Session.GetAsync($"/Email/Imported/Letter?id={id}")).Status.ShouldBe(HttpStatusCode.OK);
    }
}
