using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;

namespace MailAccounts.Infrastructure.Common;

/// <summary>
/// State a page hands to the browser and gets back with the next post (a test's result, the message a reply
/// answers), sealed with Data Protection so that the browser can carry it but neither read nor forge it. One
/// purpose per kind of state, so that one kind never opens as another.
/// </summary>
public sealed class FormSeal(IDataProtectionProvider protection)
{
    /// <summary>The sealer of one kind of state; its tokens expire after <paramref name="lifetime"/> when one is given.</summary>
    public Sealed<T> For<T>(string purpose, TimeSpan? lifetime = null)
        where T : class => new(protection.CreateProtector(purpose), lifetime);

    public sealed class Sealed<T>
        where T : class
    {
        private readonly IDataProtector _protector;
        private readonly ITimeLimitedDataProtector? _timeLimited;
        private readonly TimeSpan _lifetime;

        internal Sealed(IDataProtector protector, TimeSpan? lifetime)
        {
            _protector = protector;
            _timeLimited = lifetime is null ? null : protector.ToTimeLimitedDataProtector();
            _lifetime = lifetime ?? TimeSpan.Zero;
        }

        public string Seal(T value)
        {
            var json = JsonSerializer.Serialize(value);
            return _timeLimited is { } limited ? limited.Protect(json, _lifetime) : _protector.Protect(json);
        }

        /// <summary>The value, when the token is genuine, unexpired and of this purpose; otherwise null.</summary>
        public T? Open(string? token)
        {
            if (string.IsNullOrEmpty(token))
            {
                return null;
            }

            try
            {
                return JsonSerializer.Deserialize<T>(_timeLimited is { } limited ? limited.Unprotect(token) : _protector.Unprotect(token));
            }
            catch (Exception e) when (e is CryptographicException or JsonException or FormatException)
            {
                return null;
            }
        }
    }
}
