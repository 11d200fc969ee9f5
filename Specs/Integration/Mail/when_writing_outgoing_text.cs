using MailAccounts.Infrastructure.Mail;
using MimeKit.Text;

namespace MailAccounts.Specs.Integration.Mail;

public sealed class when_writing_outgoing_text
{
    [Fact]
    public void cyrillic_goes_in_windows_1251_when_that_is_the_chosen_charset()
    {
        var encoded = OutgoingText.Create(TextFormat.Plain, "Добрый день", "windows-1251");

        encoded.FellBackToUtf8.ShouldBeFalse();
        encoded.Part.ContentType.Charset.ShouldBe("windows-1251");
        encoded.Part.Text.ShouldBe("Добрый день");
    }

    [Theory]
    [InlineData("windows-1251", "Grüße aus München 日本")]
    [InlineData("koi8-r", "Привет, 世界")]
    [InlineData("iso-8859-1", "Добрый день")]
    public void text_the_charset_cannot_carry_goes_in_utf8_rather_than_damaged(string charset, string text)
    {
        var encoded = OutgoingText.Create(TextFormat.Plain, text, charset);

        encoded.FellBackToUtf8.ShouldBeTrue();
        encoded.Part.ContentType.Charset.ShouldBe("utf-8");
        encoded.Part.Text.ShouldBe(text);
    }

    [Fact]
    public void iso_2022_jp_carries_japanese() =>
        OutgoingText.Create(TextFormat.Plain, "こんにちは", "iso-2022-jp").FellBackToUtf8.ShouldBeFalse();
}
