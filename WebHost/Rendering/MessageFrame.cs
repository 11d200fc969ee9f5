using Microsoft.AspNetCore.Http;

namespace MailAccounts.WebHost.Rendering;

/// <summary>
/// How a sanitised message body is shown, wherever it comes from (the live server or the imported mail): a sandboxed
/// frame whose document may load nothing but inline styles and, once the user presses Show images, remote images; and
/// a page whose own policy runs no script but the product's. One place, so that both pages keep the same rules.
/// </summary>
public static class MessageFrame
{
    /// <summary>What the shared partial (Shared/_MessageBody) shows: the Show images notice and the frame.</summary>
    public sealed record View(bool InPane, bool RemoteContentBlocked, string ShowImagesUrl, string FrameDocument);

    private static string ImageSources(bool images) => images ? "https: http: data:" : "data:";

    /// <summary>The frame's document around the sanitised HTML.</summary>
    public static string Document(string sanitisedHtml, bool images) =>
        $"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; img-src {ImageSources(images)}; style-src 'unsafe-inline'\"><base target=\"_blank\"></head><body>{sanitisedHtml}</body></html>";

    /// <summary>The page's own policy and referrer rule, set on the response of a page that shows a message.</summary>
    public static void Protect(HttpResponse response, bool images)
    {
        // The page itself: no script but our own, and frames only from this document.
        response.Headers.ContentSecurityPolicy =
            $"default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' {ImageSources(images)}; frame-src 'self' about:; object-src 'none'; base-uri 'none'; form-action 'self'";
        // The frame's document inherits this: the sites its links and images reach learn nothing of the product's addresses.
        response.Headers["Referrer-Policy"] = "no-referrer";
    }
}
