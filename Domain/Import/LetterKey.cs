using System.Security.Cryptography;
using System.Text;

namespace MailAccounts.Domain.Import;

/// <summary>
/// What makes two copies of a message one letter: the normalised Message-ID and the SHA-256 of its content without the
/// trace fields a delivery adds (Received, Return-Path, Delivered-To and the like), so that the same message delivered
/// to two mailboxes is one letter with two places, and two different messages that share a Message-ID are two letters.
/// A message without a Message-ID is known by its content alone.
/// </summary>
public static class LetterKey
{
    /// <summary>Fields a delivery adds or rewrites; a copy of the same message differs from another in these alone.</summary>
    public static IReadOnlySet<string> TraceFields => Trace;

    private static readonly HashSet<string> Trace = new(StringComparer.OrdinalIgnoreCase)
    {
        "Received", "Return-Path", "Delivered-To", "X-Original-To", "X-Delivered-To", "Envelope-To", "X-Envelope-To",
        "X-Received", "Authentication-Results", "ARC-Authentication-Results", "ARC-Seal", "ARC-Message-Signature",
        "Received-SPF", "X-Spam-Status", "X-Spam-Score", "X-Spam-Level", "X-Spam-Flag", "X-Virus-Scanned", "X-Virus-Status",
    };

    /// <summary>
    /// The Message-ID as compared: without the angle brackets, comments and folding whitespace around and inside it;
    /// null when the message has none (or an empty one).
    /// </summary>
    public static string? NormaliseMessageId(string? raw)
    {
        if (string.IsNullOrWhiteSpace(raw))
        {
            return null;
        }

        var text = new StringBuilder(raw.Length);
        var comment = 0;
        foreach (var c in raw)
        {
            switch (c)
            {
                case '(':
                    comment++;
                    continue;
                case ')' when comment > 0:
                    comment--;
                    continue;
            }

            if (comment == 0 && !char.IsWhiteSpace(c))
            {
                text.Append(c);
            }
        }

        var id = text.ToString();
        var open = id.IndexOf('<');
        var close = id.IndexOf('>', open + 1);
        if (open >= 0 && close > open)
        {
            id = id[(open + 1)..close];
        }

        id = id.Trim('<', '>');
        return id.Length == 0 ? null : id;
    }

    /// <summary>The letter's stream: the same key always names the same stream, so two hosts importing one letter meet on it.</summary>
    public static Guid LetterId(string? messageId, string contentHash) => GuidOf($"letter\n{messageId}\n{contentHash}");

    /// <summary>The quarantine stream of one message that could not be imported from one place.</summary>
    public static Guid QuarantineId(LetterPlace place) =>
        GuidOf($"quarantine\n{place.AccountId:N}\n{place.Folder}\n{place.UidValidity}\n{place.Uid}");

    /// <summary>
    /// The content hash (lower-case hex SHA-256) of a raw message: its header fields except the trace fields, byte for
    /// byte, and its body. Reads the stream to its end without holding more than one header field in memory.
    /// </summary>
    public static string ContentHash(Stream raw)
    {
        if (raw is MemoryStream memory && memory.TryGetBuffer(out var held))
        {
            var start = (int)memory.Position;
            memory.Position = memory.Length;
            return ContentHash(held.AsSpan(start));
        }

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var field = new MemoryStream();
        var keep = true;
        var line = new MemoryStream();
        var body = false;
        int b;
        // The header: each field is its first line and the lines that start with white space after it.
        while (!body && (b = raw.ReadByte()) >= 0)
        {
            line.WriteByte((byte)b);
            if (b != '\n')
            {
                continue;
            }

            var bytes = line.GetBuffer().AsSpan(0, (int)line.Length);
            line.SetLength(0);
            if (bytes[0] is (byte)' ' or (byte)'\t')
            {
                field.Write(bytes);
                continue;
            }

            Flush(hash, field, keep);
            if (bytes is [(byte)'\n'] or [(byte)'\r', (byte)'\n'])
            {
                hash.AppendData(bytes);
                body = true;
                break;
            }

            var colon = bytes.IndexOf((byte)':');
            keep = colon <= 0 || !TraceFields.Contains(Encoding.ASCII.GetString(bytes[..colon]).Trim());
            field.Write(bytes);
        }

        if (!body)
        {
            // A message that is all header, or whose last line has no line break.
            field.Write(line.GetBuffer().AsSpan(0, (int)line.Length));
            Flush(hash, field, keep);
        }

        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(81920);
        try
        {
            int read;
            while ((read = raw.Read(buffer)) > 0)
            {
                hash.AppendData(buffer, 0, read);
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>
    /// <see cref="ContentHash(Stream)"/> of a message held in memory, read where it lies: the same hash, without a copy
    /// of each line and field. A field's lines are hashed as they come, since its first line decides whether it is kept.
    /// </summary>
    public static string ContentHash(ReadOnlySpan<byte> raw)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var keep = true;
        var at = 0;
        while (at < raw.Length)
        {
            var end = raw[at..].IndexOf((byte)'\n');
            if (end < 0)
            {
                // A message that is all header, or whose last line has no line break: that line joins the field before.
                if (keep)
                {
                    hash.AppendData(raw[at..]);
                }

                at = raw.Length;
                break;
            }

            var line = raw.Slice(at, end + 1);
            at += end + 1;
            if (line[0] is (byte)' ' or (byte)'\t')
            {
                if (keep)
                {
                    hash.AppendData(line);
                }

                continue;
            }

            if (line is [(byte)'\n'] or [(byte)'\r', (byte)'\n'])
            {
                hash.AppendData(line);
                break;
            }

            var colon = line.IndexOf((byte)':');
            keep = colon <= 0 || !IsTraceField(line[..colon]);
            if (keep)
            {
                hash.AppendData(line);
            }
        }

        hash.AppendData(raw[at..]);
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>Whether the field name (as the bytes before the colon) is a trace field, read as the stream reading reads it.</summary>
    private static bool IsTraceField(ReadOnlySpan<byte> name)
    {
        if (name.Length > 64)
        {
            return Trace.Contains(Encoding.ASCII.GetString(name).Trim());
        }

        Span<char> chars = stackalloc char[name.Length];
        Encoding.ASCII.GetChars(name, chars);
        return Trace.GetAlternateLookup<ReadOnlySpan<char>>().Contains(((ReadOnlySpan<char>)chars).Trim());
    }

    private static void Flush(IncrementalHash hash, MemoryStream field, bool keep)
    {
        if (keep && field.Length > 0)
        {
            hash.AppendData(field.GetBuffer(), 0, (int)field.Length);
        }

        field.SetLength(0);
    }

    /// <summary>A name-based id (RFC 9562 version 8): the first 128 bits of the SHA-256 of the name, with the version and variant set.</summary>
    private static Guid GuidOf(string name)
    {
        Span<byte> digest = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(name), digest);
        var bytes = digest[..16].ToArray();
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x80);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true);
    }
}
