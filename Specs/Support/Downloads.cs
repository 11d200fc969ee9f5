using Microsoft.Playwright;

namespace MailAccounts.Specs.Support;

public static class Downloads
{
    /// <summary>Clicks what starts a download and reads what the browser received: its suggested file name and its bytes.</summary>
    public static async Task<(string Name, byte[] Bytes)> DownloadAsync(this IPage page, ILocator link)
    {
        var download = await page.RunAndWaitForDownloadAsync(() => link.ClickAsync());
        await using var stream = await download.CreateReadStreamAsync();
        using var bytes = new MemoryStream();
        await stream.CopyToAsync(bytes);
        return (download.SuggestedFilename, bytes.ToArray());
    }
}
