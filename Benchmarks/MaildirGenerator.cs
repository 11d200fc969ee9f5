using System.Text;
using MimeKit;
using MimeKit.Text;

namespace MailAccounts.Benchmarks;

/// <summary>
/// Writes a mailbox of realistic mail straight into a maildir, far faster than APPEND: mostly a few KB of text (a third
/// of it with an HTML alternative), about 6% with a small attachment and 2% with one of hundreds of KB, a third of the
/// messages replies in threads (In-Reply-To, References, "Re:"), Russian and Japanese names and subjects as RFC 2047
/// encoded words, some Russian mail in windows-1251 or KOI8-R, dates over three years. The same seed gives the same
/// bytes. Files are named and dated as Dovecot's own delivery would: the arrival time first (so UIDs follow arrival),
/// S= and W= sizes, the file's modification time as the arrival (Dovecot's INTERNALDATE for maildir).
/// </summary>
public static class MaildirGenerator
{
    private const string Version = "3";
    private static readonly DateTimeOffset Newest = new(2025, 6, 1, 9, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Span = TimeSpan.FromDays(3 * 365);

    private enum Language
    {
        English,
        Russian,
        Japanese,
    }

    private sealed record Person(string Name, string Address, Language Language, TimeSpan Zone);

    private sealed record Attachment(string FileName, string MediaType, string SubType, int Size);

    private sealed record Plan(
        int Index, DateTimeOffset Arrival, DateTimeOffset Date, Person From, Person To, string Subject, string MessageId,
        string? InReplyTo, IReadOnlyList<string> References, int BodyLength, bool Html, string? Charset, Attachment? Attachment,
        bool Seen, bool Flagged)
    {
        public bool Answered { get; set; }
    }

    private static readonly Person[] People =
    [
        new("Anna Smith", "anna.smith@northwind.example", Language.English, TimeSpan.Zero),
        new("James O'Connor", "james.oconnor@contoso.example", Language.English, TimeSpan.FromHours(-5)),
        new("Maria Garcia", "m.garcia@fabrikam.example", Language.English, TimeSpan.FromHours(1)),
        new("Accounts Payable", "ap@tailspin.example", Language.English, TimeSpan.Zero),
        new("Peter Müller", "p.mueller@adatum.example", Language.English, TimeSpan.FromHours(1)),
        new("Борис Петров", "b.petrov@partner.example", Language.Russian, TimeSpan.FromHours(3)),
        new("Елена Смирнова", "smirnova@partner.example", Language.Russian, TimeSpan.FromHours(3)),
        new("Дмитрий Иванов", "d.ivanov@zavod.example", Language.Russian, TimeSpan.FromHours(5)),
        new("Ольга Кузнецова", "olga.k@torg.example", Language.Russian, TimeSpan.FromHours(3)),
        new("Бухгалтерия ООО «Ромашка»", "buh@romashka.example", Language.Russian, TimeSpan.FromHours(3)),
        new("田中 太郎", "tanaka@kaisha.example", Language.Japanese, TimeSpan.FromHours(9)),
        new("佐藤 花子", "hanako.sato@kaisha.example", Language.Japanese, TimeSpan.FromHours(9)),
        new("鈴木 一郎", "suzuki@shoji.example", Language.Japanese, TimeSpan.FromHours(9)),
    ];

    private static readonly Person Owner = new("Anna Sokolova", "bench@bench.test", Language.Russian, TimeSpan.FromHours(3));

    private static readonly Dictionary<Language, string[]> Subjects = new()
    {
        [Language.English] =
        [
            "Quarterly report {0}", "Invoice #{0}", "Meeting on Thursday", "Contract draft v{0}", "Shipment {0} delayed",
            "Your order {0} has shipped", "Agenda for Monday", "Budget review {0}", "Question about the price list", "Holiday schedule",
        ],
        [Language.Russian] =
        [
            "Счёт №{0} на оплату", "Договор поставки {0}", "Встреча в четверг", "Отчёт за квартал", "Акт сверки {0}",
            "Коммерческое предложение", "Изменения в прайс-листе", "Отгрузка {0} задерживается",
        ],
        [Language.Japanese] =
        [
            "会議の議事録 {0}", "見積書の送付について", "出荷のお知らせ {0}", "請求書 {0} 月分", "打ち合わせの日程について",
        ],
    };

    private static readonly Dictionary<Language, string[]> Sentences = new()
    {
        [Language.English] =
        [
            "Please find the figures for last month below.", "Let me know if anything is unclear.",
            "We have updated the delivery schedule accordingly.", "The warehouse confirmed the pallets will leave on Friday.",
            "Could you check the attached document and sign it by the end of the week?", "Thanks for your quick reply.",
            "The price includes shipping but not customs duties.", "I will be out of the office until Monday.",
        ],
        [Language.Russian] =
        [
            "Направляем вам счёт на оплату за прошлый месяц.", "Просим подтвердить получение этого письма.",
            "Отгрузка запланирована на пятницу, машина будет с утра.", "В приложении акт сверки, подпишите, пожалуйста.",
            "Цены указаны с учётом НДС и доставки до склада.", "Если возникнут вопросы, звоните в любое время.",
            "Спасибо за оперативный ответ!", "Договор согласован юристами, ждём оригиналы.",
        ],
        [Language.Japanese] =
        [
            "いつもお世話になっております。", "先日の会議の議事録をお送りいたします。", "ご確認のほど、よろしくお願いいたします。",
            "出荷は金曜日の予定です。", "見積書を添付いたしましたので、ご査収ください。", "ご不明な点がございましたらお知らせください。",
        ],
    };

    /// <summary>Writes the messages unless this maildir already holds exactly them; returns whether it wrote anything.</summary>
    public static async Task<bool> WriteAsync(string maildir, int count, int seed, CancellationToken cancellationToken)
    {
        var marker = Path.Combine(maildir, "benchmark-mail");
        var stamp = $"version {Version}, {count} messages, seed {seed}";
        if (File.Exists(marker) && await File.ReadAllTextAsync(marker, cancellationToken) == stamp)
        {
            return false;
        }

        if (Directory.Exists(maildir))
        {
            Directory.Delete(maildir, recursive: true);
        }

        foreach (var sub in new[] { "cur", "new", "tmp" })
        {
            Directory.CreateDirectory(Path.Combine(maildir, sub));
        }

        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var plans = PlanAll(count, seed);
        var noise = new byte[1 << 20];
        new Random(seed).NextBytes(noise);
        var options = FormatOptions.Default.Clone();
        options.NewLineFormat = NewLineFormat.Unix;
        var cur = Path.Combine(maildir, "cur");
        await Parallel.ForEachAsync(plans, new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = Environment.ProcessorCount },
            async (plan, token) =>
            {
                using var buffer = new MemoryStream();
                await Build(plan, seed, noise).WriteToAsync(options, buffer, token);
                var bytes = buffer.ToArray();
                var lines = bytes.AsSpan().Count((byte)'\n');
                var flags = (plan.Flagged ? "F" : "") + (plan.Answered ? "R" : "") + (plan.Seen ? "S" : "");
                var file = Path.Combine(cur,
                    $"{plan.Arrival.ToUnixTimeSeconds()}.M{plan.Index:D6}P1Q{plan.Index}.bench,S={bytes.Length},W={bytes.Length + lines}:2,{flags}");
                await File.WriteAllBytesAsync(file, bytes, token);
                File.SetLastWriteTimeUtc(file, plan.Arrival.UtcDateTime);
            });

        await File.WriteAllTextAsync(marker, stamp, cancellationToken);
        return true;
    }

    /// <summary>Who writes what and when, decided in order with one seeded generator, so that replies can mark their parents answered.</summary>
    private static List<Plan> PlanAll(int count, int seed)
    {
        var random = new Random(seed);
        var plans = new List<Plan>(count);
        var step = Span.Ticks / count;
        for (var index = 0; index < count; index++)
        {
            var arrival = Newest - Span + TimeSpan.FromTicks(step * index + random.NextInt64(Math.Max(1, step / 2)));
            Plan? parent = index > 10 && random.NextDouble() < 0.33 ? plans[index - 1 - random.Next(Math.Min(index - 1, 300))] : null;
            var from = parent?.From ?? People[random.Next(People.Length)];

            var subject = parent is null
                ? string.Format(System.Globalization.CultureInfo.InvariantCulture, Pick(random, Subjects[from.Language]), random.Next(100, 9999))
                : "Re: " + StripReply(parent.Subject);
            string? charset = from.Language == Language.Russian && random.NextDouble() < 0.15 ? (random.NextDouble() < 0.5 ? "windows-1251" : "koi8-r") : null;
            var roll = random.NextDouble();
            Attachment? attachment = roll < 0.02
                ? new Attachment(
                    from.Language == Language.Russian ? $"Договор_{index}.pdf" : $"scan_{index}.pdf", "application", "pdf",
                    random.Next(100_000, 900_000))
                : roll < 0.08
                    ? new Attachment($"prices_{index}.csv", "text", "csv", random.Next(5_000, 40_000))
                    : null;
            var bodyLength = (int)Math.Clamp(Math.Exp(Math.Log(1_200) + 0.7 * Gaussian(random)), 200, 60_000);
            var references = parent is null ? [] : parent.References.Append(parent.MessageId).TakeLast(10).ToArray();
            var plan = new Plan(
                index, arrival, arrival - TimeSpan.FromSeconds(random.Next(5, 900)), from, Owner, subject,
                $"{index:x}.{seed}@{from.Address.Split('@')[1]}", parent?.MessageId, references, bodyLength, random.NextDouble() < 0.35, charset,
                attachment, Seen: index < count * 0.97 || random.NextDouble() < 0.3, Flagged: random.NextDouble() < 0.02);
            if (parent is not null)
            {
                parent.Answered = true;
            }

            plans.Add(plan);
        }

        return plans;
    }

    private static MimeMessage Build(Plan plan, int seed, byte[] noise)
    {
        // Not HashCode.Combine: its seed differs in every process, and the same seed must give the same mail.
        var random = new Random(unchecked(seed * 1_000_003 + plan.Index));
        var message = new MimeMessage { MessageId = plan.MessageId, Date = plan.Date.ToOffset(plan.From.Zone) };
        message.Headers.Add("Return-Path", $"<{plan.From.Address}>");
        message.Headers.Add("Received", $"from mx.{plan.From.Address.Split('@')[1]} (mx.{plan.From.Address.Split('@')[1]} [192.0.2.{plan.Index % 250 + 1}]) by mail.bench.test with ESMTPS id {plan.Index:X8}; {MimeKit.Utils.DateUtils.FormatDate(plan.Arrival)}");
        message.Headers.Add("Received", $"from localhost by mx.{plan.From.Address.Split('@')[1]} with ESMTPSA; {MimeKit.Utils.DateUtils.FormatDate(plan.Date)}");
        message.Headers.Add("X-Mailer", plan.From.Language == Language.Japanese ? "Becky! ver. 2.81" : "Microsoft Outlook 16.0");
        var encoding = plan.Charset is null ? Encoding.UTF8 : Encoding.GetEncoding(plan.Charset);
        message.From.Add(new MailboxAddress(encoding, plan.From.Name, plan.From.Address));
        message.To.Add(new MailboxAddress(plan.To.Name, plan.To.Address));
        message.Headers.Replace(HeaderId.Subject, encoding, plan.Subject);
        if (plan.InReplyTo is { } parent)
        {
            message.InReplyTo = parent;
            foreach (var reference in plan.References)
            {
                message.References.Add(reference);
            }
        }

        var text = Text(random, plan.From.Language, plan.BodyLength);
        if (plan.InReplyTo is not null)
        {
            text += "\n\n> " + Text(random, plan.From.Language, plan.BodyLength / 3).Replace("\n", "\n> ", StringComparison.Ordinal);
        }

        var plain = new TextPart(TextFormat.Plain);
        plain.SetText(encoding, text);
        MimeEntity body = plain;
        if (plan.Html)
        {
            var html = new TextPart(TextFormat.Html);
            html.SetText(Encoding.UTF8, "<html><body style=\"font-family: Arial, sans-serif\">"
                + string.Concat(text.Split("\n\n").Select(p => "<p>" + System.Net.WebUtility.HtmlEncode(p) + "</p>")) + "</body></html>");
            body = new MultipartAlternative { plain, html };
            ((Multipart)body).Boundary = $"=_alt_{plan.Index}";
        }

        if (plan.Attachment is { } attachment)
        {
            // Attachments are slices of one block of random bytes: incompressible like real scans, and quick to make.
            var content = noise.AsMemory(random.Next(noise.Length - attachment.Size), attachment.Size).ToArray();
            var part = new MimePart(attachment.MediaType, attachment.SubType)
            {
                Content = new MimeContent(new MemoryStream(content)),
                ContentDisposition = new ContentDisposition(ContentDisposition.Attachment),
                ContentTransferEncoding = ContentEncoding.Base64,
                FileName = attachment.FileName,
            };
            body = new Multipart("mixed") { body, part };
            ((Multipart)body).Boundary = $"=_mixed_{plan.Index}";
        }

        message.Body = body;
        message.Prepare(EncodingConstraint.SevenBit);
        return message;
    }

    private static string Text(Random random, Language language, int length)
    {
        var text = new StringBuilder(length + 200);
        var sentences = Sentences[language];
        while (text.Length < length)
        {
            text.Append(Pick(random, sentences));
            text.Append(random.Next(6) == 0 ? "\n\n" : language == Language.Japanese ? "" : " ");
        }

        return text.ToString().TrimEnd();
    }

    private static string StripReply(string subject) => subject.StartsWith("Re: ", StringComparison.Ordinal) ? subject[4..] : subject;

    private static T Pick<T>(Random random, IReadOnlyList<T> items) => items[random.Next(items.Count)];

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
