using System.IO.Compression;
using System.Security.Cryptography;
using Marten;
using MailAccounts.Domain.Import;
using MailAccounts.Infrastructure.Mail;
using MailAccounts.Infrastructure.Rendering;
using MailAccounts.Infrastructure.Storage;
using MimeKit;

namespace MailAccounts.Infrastructure.Import;

/// <summary>
/// An attachment read out of a message: what the letter says of it, and its content as it is kept (none when not kept):
/// Brotli-compressed when <paramref name="IsCompressed"/>, as it is otherwise.
/// </summary>
public sealed record PreparedAttachment(LetterAttachment Attachment, Stream? Compressed, bool IsCompressed = true);

/// <summary>
/// A message read and understood, ready to be stored: its key, the header fields, the text for search, the
/// attachments, and the raw bytes compressed (none when it is too large to keep), without the base64 text of the
/// attachments in <paramref name="Detached"/>, whose bytes are kept once, in the attachment table.
/// </summary>
public sealed record PreparedLetter(
    string? MessageId, string ContentHash, string RawSha256, long Size, LetterHeaders Headers, string Text,
    IReadOnlyList<PreparedAttachment> Attachments, bool TooLarge, Stream? CompressedRaw, bool RawIsCompressed = true,
    IReadOnlyList<DetachedPart>? Detached = null) : IAsyncDisposable
{
    public Guid LetterId => LetterKey.LetterId(MessageId, ContentHash);

    /// <summary>The compressed content waits in memory or in temporary files until its batch is committed; then it goes.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var stream in Attachments.Select(a => a.Compressed).Append(CompressedRaw).OfType<Stream>())
        {
            await stream.DisposeAsync();
        }
    }
}

/// <summary>A message read, or why it cannot be imported.</summary>
public sealed record Prepared(PreparedLetter? Letter, string? Problem);

/// <summary>
/// Turns one message's raw bytes into a letter ready to store. The bytes go to a temporary file as they arrive (never
/// all of a large message in memory): hashed there, parsed from there by MimeKit without loading the parts' content,
/// and compressed from there.
/// </summary>
public sealed class LetterIntake(ImportOptions options, MailOptions mail)
{
    private readonly ParserOptions _parsing = Mail.Mailboxes.MailSessions.ParsingFor(mail.FallbackCharset);

    public async Task<Prepared> PrepareAsync(Stream raw, CancellationToken cancellationToken)
    {
        if (raw is MemoryStream memory && memory.TryGetBuffer(out var held))
        {
            // Bytes the caller holds already (the importer's copy of a literal): read where they are.
            var bytes = held.AsMemory((int)memory.Position);
            return await PrepareAsync(new MemoryStream(held.Array!, held.Offset + (int)memory.Position, bytes.Length, writable: false, publiclyVisible: true),
                bytes.Length, Convert.ToHexStringLower(SHA256.HashData(bytes.Span)), cancellationToken);
        }

        if (raw.CanSeek && raw.Length - raw.Position < InMemory)
        {
            // Most mail: read, hashed, parsed and compressed in memory, with no temporary file to make and read back.
            var bytes = new byte[raw.Length - raw.Position];
            await raw.ReadExactlyAsync(bytes, cancellationToken);
            return await PrepareAsync(new MemoryStream(bytes, 0, bytes.Length, writable: false, publiclyVisible: true),
                bytes.Length, Convert.ToHexStringLower(SHA256.HashData(bytes)), cancellationToken);
        }

        var path = Path.Combine(Path.GetTempPath(), "mailaccounts-import-" + Guid.NewGuid().ToString("N"));
        await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 81920,
            FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        string rawSha;
        using (var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
        {
            var buffer = new byte[81920];
            int read;
            while ((read = await raw.ReadAsync(buffer, cancellationToken)) > 0)
            {
                hash.AppendData(buffer, 0, read);
                await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            }

            rawSha = Convert.ToHexStringLower(hash.GetHashAndReset());
        }

        return await PrepareAsync(file, file.Length, rawSha, cancellationToken);
    }

    private async Task<Prepared> PrepareAsync(Stream content, long size, string rawSha, CancellationToken cancellationToken)
    {
        content.Position = 0;
        var contentHash = LetterKey.ContentHash(content);
        content.Position = 0;
        try
        {
            return new Prepared(await ReadAsync(content, size, rawSha, contentHash, cancellationToken), null);
        }
        catch (Exception e) when (e is FormatException or ParseException or InvalidOperationException or NotSupportedException
                                       or ArgumentException or System.Text.DecoderFallbackException)
        {
            return new Prepared(null, $"{e.GetType().Name}: {e.Message}");
        }
    }

    private async Task<PreparedLetter> ReadAsync(Stream file, long size, string rawSha, string contentHash, CancellationToken cancellationToken)
    {
        // Persistent: the parts' content stays in the file, read only when decoded.
        var parser = new MimeParser(_parsing, file, MimeFormat.Entity, persistent: true);
        var message = await parser.ParseMessageAsync(cancellationToken);
        if (message.Headers.Count == 0)
        {
            throw new FormatException("The message has no header fields: it is not a mail message.");
        }

        var messageId = LetterKey.NormaliseMessageId(message.Headers[HeaderId.MessageId]);
        var headers = new LetterHeaders(
            messageId,
            Clean(message.Subject ?? ""),
            string.Join(", ", message.From.Mailboxes.Select(Readable)),
            [.. message.To.Mailboxes.Select(Readable)],
            [.. message.Cc.Mailboxes.Select(Readable)],
            message.Headers.Contains(HeaderId.Date) ? message.Date : null,
            LetterKey.NormaliseMessageId(message.InReplyTo),
            [.. message.References.Select(LetterKey.NormaliseMessageId).OfType<string>()]);
        var tooLarge = size > options.MaxMessageBytes;
        var attachments = new List<PreparedAttachment>();
        var detached = new List<DetachedPart>();
        var number = 0;
        foreach (var entity in message.Attachments)
        {
            number++;
            var attachment = await AttachmentAsync(entity, number, keep: !tooLarge, cancellationToken);
            attachments.Add(attachment);
            if (!tooLarge && await DetachableAsync(entity, file, attachment.Attachment, cancellationToken) is { } part)
            {
                detached.Add(part);
            }
        }

        var text = tooLarge ? "" : Clean(MessageBodies.PlainText(message, mail.FallbackCharset, ReadableText.FromHtml));
        (Stream Kept, bool Compressed)? raw = null;
        if (!tooLarge)
        {
            detached.Sort((a, b) => a.At.CompareTo(b.At));
            raw = await CompressAsync(file, size, detached, cancellationToken);
        }

        return new PreparedLetter(messageId, contentHash, rawSha, size, headers, text, attachments, tooLarge, raw?.Kept, raw?.Compressed ?? true, detached);
    }

    /// <summary>Base64 text shorter than this stays in its message: taking it out would save less than it costs.</summary>
    public const int DetachedAtLeast = 2048;

    /// <summary>
    /// Where the attachment's base64 text lies in the raw message, when it can be taken out and written again the same
    /// from the attachment's bytes (<see cref="Base64Shape"/>); null when it stays in the message.
    /// </summary>
    private static async Task<DetachedPart?> DetachableAsync(MimeEntity entity, Stream file, LetterAttachment attachment, CancellationToken cancellationToken)
    {
        if (entity is not MimePart { ContentTransferEncoding: ContentEncoding.Base64, Content.Stream: MimeKit.IO.BoundStream part }
            || !ReferenceEquals(part.BaseStream, file) || part.EndBoundary < part.StartBoundary + DetachedAtLeast)
        {
            return null;
        }

        var shape = new Base64Shape();
        await ForEachSpanAsync(file, part.StartBoundary, part.EndBoundary - part.StartBoundary, shape.Feed, cancellationToken);
        return shape.Detachable(attachment.Size) is { } text
            ? new DetachedPart(part.StartBoundary, text.Length, attachment.Sha256, text.LineLength, text.Crlf)
            : null;
    }

    /// <summary>
    /// Hands <paramref name="length"/> bytes of the content from <paramref name="start"/> on to <paramref name="each"/>:
    /// where they are, for content in memory; through a buffer, for a temporary file.
    /// </summary>
    private static async Task ForEachSpanAsync(Stream content, long start, long length, SpanAction each, CancellationToken cancellationToken)
    {
        if (content is MemoryStream memory && memory.TryGetBuffer(out var held))
        {
            each(held.AsSpan(checked((int)start), checked((int)length)));
            return;
        }

        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(81920);
        try
        {
            content.Position = start;
            while (length > 0)
            {
                var read = await content.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, length)), cancellationToken);
                if (read == 0)
                {
                    throw new EndOfStreamException("The message ended before its part did.");
                }

                each(buffer.AsSpan(0, read));
                length -= read;
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private delegate void SpanAction(ReadOnlySpan<byte> bytes);

    private static async Task<PreparedAttachment> AttachmentAsync(MimeEntity entity, int number, bool keep, CancellationToken cancellationToken)
    {
        var name = entity switch
        {
            MimePart { FileName: { Length: > 0 } file } => file,
            MessagePart { Message.Subject: { Length: > 0 } subject } => subject + ".eml",
            _ => entity.ContentType.Name is { Length: > 0 } named ? named : $"attachment-{number}",
        };
        // Decoded once, straight into the hash and the compressor: the decoded content is never held whole.
        var compressed = Holder(entity is MimePart { Content.Stream: { CanSeek: true } encoded } ? encoded.Length : 0);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long size;
        var kept = new SampledCompression(compressed);
        await using (kept)
        await using (var tee = new HashingStream(kept, hash))
        {
            switch (entity)
            {
                case MimePart { Content: { } part }:
                    await part.DecodeToAsync(tee, cancellationToken);
                    break;
                case MessagePart { Message: { } attached }:
                    await attached.WriteToAsync(tee, cancellationToken);
                    break;
            }

            size = tee.Written;
        }

        var attachment = new LetterAttachment(Clean(name), entity.ContentType.MimeType, size, Convert.ToHexStringLower(hash.GetHashAndReset()));
        if (!keep)
        {
            await compressed.DisposeAsync();
        }

        return new PreparedAttachment(attachment, keep ? compressed : null, kept.Compressed);
    }

    /// <summary>The raw message kept, compressed when that pays, without the <paramref name="detached"/> parts' text.</summary>
    private static async Task<(Stream Kept, bool Compressed)> CompressAsync(
        Stream content, long size, IReadOnlyList<DetachedPart> detached, CancellationToken cancellationToken)
    {
        var kept = Holder(size - detached.Sum(d => d.Length));
        var compression = new SampledCompression(kept);
        await using (compression)
        {
            var at = 0L;
            foreach (var part in detached)
            {
                await ForEachSpanAsync(content, at, part.At - at, compression.Write, cancellationToken);
                at = part.At + part.Length;
            }

            await ForEachSpanAsync(content, at, size - at, compression.Write, cancellationToken);
        }

        return (kept, compression.Compressed);
    }

    /// <summary>Content of about this size, up to which a message's compressed parts are kept in memory until their commit.</summary>
    public const long InMemory = 1024 * 1024;

    /// <summary>
    /// The memory compressed content waits in: blocks of 16 KB (a usual message's compressed size), and no more than
    /// 32 MB of them kept free for the next batches.
    /// </summary>
    private static readonly Microsoft.IO.RecyclableMemoryStreamManager Pool = new(new Microsoft.IO.RecyclableMemoryStreamManager.Options
    {
        BlockSize = 16 * 1024,
        LargeBufferMultiple = 1024 * 1024,
        MaximumBufferSize = 2 * 1024 * 1024,
        MaximumSmallPoolFreeBytes = 32 * 1024 * 1024,
        MaximumLargePoolFreeBytes = 8 * 1024 * 1024,
    });

    /// <summary>
    /// Where compressed content waits for its commit: pooled memory for what is small (most mail; the blocks go back to
    /// the pool when the batch is committed, instead of every message growing arrays of its own for the collector), a
    /// temporary file for what is not, which PostgreSQL then reads as a stream, so that a large message is never held
    /// whole in memory.
    /// </summary>
    private static Stream Holder(long expected) => expected < InMemory
        ? Pool.GetStream("import")
        : new FileStream(Path.Combine(Path.GetTempPath(), "mailaccounts-import-" + Guid.NewGuid().ToString("N")), FileMode.CreateNew, FileAccess.ReadWrite,
            FileShare.None, 81920, FileOptions.DeleteOnClose | FileOptions.Asynchronous);

    /// <summary>An address as a person reads it: "Boris Petrov &lt;boris@example.com&gt;", decoded and unquoted, or the address alone.</summary>
    private static string Readable(MailboxAddress mailbox) =>
        Clean(mailbox.Name is { Length: > 0 } name ? $"{name} <{mailbox.Address}>" : mailbox.Address);

    /// <summary>PostgreSQL's text and jsonb hold no NUL character, which odd mail does carry.</summary>
    private static string Clean(string text) => text.Contains('\0') ? text.Replace("\0", "") : text;
}

/// <summary>A write-only stream that hashes what passes through it on its way to another stream, and counts it.</summary>
internal sealed class HashingStream(Stream inner, IncrementalHash hash) : Stream
{
    public long Written { get; private set; }

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => Written;

    public override long Position { get => Written; set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        hash.AppendData(buffer);
        Written += buffer.Length;
        inner.Write(buffer);
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        hash.AppendData(buffer.Span);
        Written += buffer.Length;
        await inner.WriteAsync(buffer, cancellationToken);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush() => inner.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}

/// <summary>
/// One batch of an import: the letters, places and quarantined messages of up to a batch of messages, queued on one
/// session so that they commit together with the cursor's advance, or not at all.
/// </summary>
public sealed class ImportBatch(IDocumentSession session, Guid by, DateTimeOffset now)
{
    private readonly Dictionary<Guid, Letter?> _letters = [];

    private readonly Dictionary<Guid, QuarantinedMessage?> _quarantined = [];

    public IDocumentSession Session => session;

    public int Imported { get; private set; }

    public int FoundAgain { get; private set; }

    public int Quarantined { get; private set; }

    /// <summary>Whether the letter's stream exists (in the store, or in this batch) and the state it is in.</summary>
    private async Task<Letter?> LetterAsync(Guid id, CancellationToken cancellationToken)
    {
        if (!_letters.TryGetValue(id, out var letter))
        {
            letter = await session.LoadOrReplayAsync<Letter>(id, cancellationToken);
            _letters[id] = letter;
        }

        return letter;
    }

    /// <summary>
    /// Reads the batch's letters and quarantined messages in two queries (and their streams in one more for those with
    /// no document), instead of two round trips a message: what <see cref="AddAsync"/> and <see cref="QuarantineAsync"/>
    /// would otherwise each ask for. A stream whose document is not there yet (a rebuild running) is replayed.
    /// </summary>
    public async Task PrefetchAsync(IReadOnlyCollection<Guid> letters, IReadOnlyCollection<Guid> quarantined, CancellationToken cancellationToken)
    {
        await PrefetchAsync(letters, _letters, cancellationToken);
        await PrefetchAsync(quarantined, _quarantined, cancellationToken);
    }

    private async Task PrefetchAsync<T>(IReadOnlyCollection<Guid> ids, Dictionary<Guid, T?> into, CancellationToken cancellationToken)
        where T : class
    {
        var wanted = ids.Where(id => !into.ContainsKey(id)).ToArray();
        if (wanted.Length == 0)
        {
            return;
        }

        var found = (await session.LoadManyAsync<T>(cancellationToken, wanted)).ToDictionary(IdOf);
        var missing = wanted.Where(id => !found.ContainsKey(id)).ToArray();
        // The ids are written into the statement, not passed: a prepared statement's generic plan, made while the table
        // was small, kept scanning all of it for every batch of a long first import (7 ms a batch at 30,000 letters).
        var streams = missing.Length == 0
            ? []
            : (await session.QueryAsync<Guid>(
                $"select id from {Storage.StorageConfiguration.Schema}.mt_streams where id = any('{{{string.Join(',', missing)}}}'::uuid[])",
                cancellationToken)).ToHashSet();
        foreach (var id in wanted)
        {
            into[id] = found.GetValueOrDefault(id) ?? (streams.Contains(id) ? await session.Events.AggregateStreamAsync<T>(id, token: cancellationToken) : null);
        }
    }

    private static Guid IdOf<T>(T document) => document switch
    {
        Letter letter => letter.Id,
        QuarantinedMessage message => message.Id,
        _ => throw new NotSupportedException(typeof(T).Name),
    };

    private async Task<QuarantinedMessage?> QuarantinedAsync(Guid id, CancellationToken cancellationToken)
    {
        if (!_quarantined.TryGetValue(id, out var message))
        {
            message = await session.LoadOrReplayAsync<QuarantinedMessage>(id, cancellationToken);
            _quarantined[id] = message;
        }

        return message;
    }

    /// <summary>
    /// Stores the letter found at <paramref name="place"/>: a new letter, one more place of a letter already in the system,
    /// or nothing for a letter deleted in the system (whose place is still recorded, so that it is not fetched again).
    /// </summary>
    public async Task AddAsync(LetterPlace place, PreparedLetter prepared, CancellationToken cancellationToken)
    {
        var id = prepared.LetterId;
        var existing = await LetterAsync(id, cancellationToken);
        RecordPlace(place, id);
        if (existing is null)
        {
            var imported = new LetterImported(id, prepared.ContentHash, prepared.RawSha256, prepared.Size, prepared.Headers,
                [.. prepared.Attachments.Select(a => a.Attachment)], prepared.TooLarge, place, by, now);
            session.Events.StartStream<Letter>(id, imported);
            _letters[id] = Letter.Evolve(null, imported);
            if (prepared.CompressedRaw is { } raw)
            {
                session.QueueOperation(new ContentInsert(Configuration.RawTable, prepared.RawSha256, prepared.Size, raw, prepared.RawIsCompressed,
                    prepared.Detached is { Count: > 0 } detached ? DetachedPart.ToJson(detached) : null));
            }

            foreach (var attachment in prepared.Attachments.Where(a => a.Compressed is not null))
            {
                session.QueueOperation(new ContentInsert(
                    Configuration.AttachmentTable, attachment.Attachment.Sha256, attachment.Attachment.Size, attachment.Compressed!, attachment.IsCompressed));
            }

            session.QueueSqlCommand(Search.SearchIndex.InsertSql, Search.SearchIndex.InsertParameters(id, _letters[id]!.Sorted, prepared.Headers, prepared.Text));
            Imported++;
        }
        else if (!existing.Deleted && !existing.IsAt(place))
        {
            var found = new LetterFoundAgain(id, place, now);
            session.Events.Append(id, found);
            _letters[id] = Letter.Evolve(existing, found);
            FoundAgain++;
        }

        var quarantine = LetterKey.QuarantineId(place);
        if (await QuarantinedAsync(quarantine, cancellationToken) is { Resolved: false })
        {
            session.Events.Append(quarantine, new QuarantinedMessageImported(quarantine, id, now));
        }
    }

    /// <summary>Puts a message that cannot be imported aside, with the reason; the rest of the folder goes on.</summary>
    public async Task QuarantineAsync(LetterPlace place, string reason, CancellationToken cancellationToken)
    {
        var id = LetterKey.QuarantineId(place);
        var previous = await QuarantinedAsync(id, cancellationToken);
        var quarantined = new MessageQuarantined(id, place, reason.Length > 2000 ? reason[..2000] : reason, ImportRules.NextAttempt(previous), now);
        if (previous is null)
        {
            session.Events.StartStream<QuarantinedMessage>(id, quarantined);
        }
        else
        {
            session.Events.Append(id, quarantined);
        }

        _quarantined[id] = QuarantinedMessage.Evolve(previous, quarantined);
        Quarantined++;
    }

    /// <summary>Records a POP3 message passed over as older than the first day: not fetched again until the first day moves back.</summary>
    public void PassOver(LetterPlace place) =>
        session.QueueSqlCommand(
            $"insert into {Configuration.PlaceTable} (account_id, folder, uid_validity, uid, letter_id) values (?, ?, ?, ?, null) " +
            "on conflict (account_id, folder, uid_validity, uid) do nothing",
            place.AccountId, place.Folder, (long)place.UidValidity, place.Uid);

    private void RecordPlace(LetterPlace place, Guid letterId) =>
        session.QueueSqlCommand(
            $"insert into {Configuration.PlaceTable} (account_id, folder, uid_validity, uid, letter_id) values (?, ?, ?, ?, ?) " +
            "on conflict (account_id, folder, uid_validity, uid) do update set letter_id = excluded.letter_id",
            place.AccountId, place.Folder, (long)place.UidValidity, place.Uid, letterId);
}

/// <summary>
/// A write-only stream that keeps content in <paramref name="holder"/> Brotli-compressed when compressing pays, and as
/// it is when it does not: its first 16 KB are compressed on trial, and content they do not shrink by a tenth (a scan,
/// a photo, a PDF, an archive: most attachments are compressed already) goes to the holder untouched, which saves the
/// compressor's whole pass over it for nothing. <see cref="Compressed"/> says which, once the stream is disposed.
/// The holder is left open.
/// </summary>
internal sealed class SampledCompression(Stream holder) : Stream
{
    private const int SampleBytes = 16 * 1024;

    private byte[]? _sample = new byte[SampleBytes];

    private int _sampled;

    private Stream? _target;

    public bool Compressed { get; private set; }

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        if (_target is null)
        {
            var taken = Sample(buffer);
            buffer = buffer[taken..];
            if (_target is null)
            {
                return;
            }
        }

        _target.Write(buffer);
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_target is null)
        {
            var taken = Sample(buffer.Span);
            buffer = buffer[taken..];
            if (_target is null)
            {
                return;
            }
        }

        await _target.WriteAsync(buffer, cancellationToken);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <summary>Fills the sample; once it is full, decides and writes it on. Answers how much of the buffer it took.</summary>
    private int Sample(ReadOnlySpan<byte> buffer)
    {
        var taken = Math.Min(buffer.Length, SampleBytes - _sampled);
        buffer[..taken].CopyTo(_sample.AsSpan(_sampled));
        _sampled += taken;
        if (_sampled == SampleBytes)
        {
            Decide();
        }

        return taken;
    }

    /// <param name="whole">The sample is all the content: the trial's output, when it pays, is what is kept.</param>
    private void Decide(bool whole = false)
    {
        var sample = _sample.AsSpan(0, _sampled);
        var trial = System.Buffers.ArrayPool<byte>.Shared.Rent(BrotliEncoder.GetMaxCompressedLength(Math.Max(1, sample.Length)));
        try
        {
            var written = 0;
            Compressed = sample.Length > 0
                && BrotliEncoder.TryCompress(sample, trial, out written, quality: Quality, window: Window)
                && written < sample.Length * 0.9;
            if (whole)
            {
                // Most messages kept without their attachments, and small attachments: compressed once, not twice.
                holder.Write(Compressed ? trial.AsSpan(0, written) : sample);
                _target = holder;
                _sample = null;
                return;
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(trial);
        }

        _target = Compressed ? new BrotliStream(holder, new BrotliCompressionOptions { Quality = Quality }, leaveOpen: true) : holder;
        _target.Write(sample);
        _sample = null;
    }

    /// <summary>Brotli's fastest quality (what <see cref="CompressionLevel.Fastest"/> stands for), for the trial and the content alike.</summary>
    private const int Quality = 1;

    private const int Window = 22;

    public override void Flush()
    {
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Decides now if the content was shorter than the sample, and ends the compressed stream.</summary>
    public override async ValueTask DisposeAsync()
    {
        if (_target is null)
        {
            Decide(whole: true);
        }
        else if (Compressed)
        {
            await _target.DisposeAsync();
        }

        _target = Stream.Null;
        GC.SuppressFinalize(this);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && _target != Stream.Null)
        {
            if (_target is null)
            {
                Decide(whole: true);
            }
            else if (Compressed)
            {
                _target.Dispose();
            }

            _target = Stream.Null;
        }

        base.Dispose(disposing);
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
