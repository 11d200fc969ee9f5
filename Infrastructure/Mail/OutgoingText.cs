using System.Text;
using MimeKit;
using MimeKit.Text;

namespace MailAccounts.Infrastructure.Mail;

/// <summary>A body part in the chosen charset, or in UTF-8 when that charset cannot carry the text.</summary>
public sealed record EncodedPart(TextPart Part, string Charset, bool FellBackToUtf8);

/// <summary>
/// Writes outgoing text in the user's charset. A charset that cannot represent every character would replace
/// them with question marks, so such text goes in UTF-8 instead, and the caller tells the user.
/// </summary>
public static class OutgoingText
{
    public static EncodedPart Create(TextFormat format, string text, string charset)
    {
        var part = new TextPart(format);
        var strict = Encoding.GetEncoding(charset, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback);
        try
        {
            strict.GetByteCount(text);
            part.SetText(strict, text);
            return new EncodedPart(part, charset, false);
        }
        catch (EncoderFallbackException)
        {
            part.SetText(Encoding.UTF8, text);
            return new EncodedPart(part, "utf-8", !string.Equals(charset, "utf-8", StringComparison.OrdinalIgnoreCase));
        }
    }
}
