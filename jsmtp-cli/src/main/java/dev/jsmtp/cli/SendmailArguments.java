package dev.jsmtp.cli;

import dev.jsmtp.DsnNotify;
import dev.jsmtp.DsnReturn;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The command line of {@code sendmail} as cron, mutt and git send-email call it, parsed getopt-style: flags may be
 * clustered ({@code -ti}), an option's argument may be attached ({@code -froot}) or the next word ({@code -f root}),
 * {@code --} ends the options, and {@code -o…} options are accepted and ignored (apart from {@code -oi}).
 *
 * @param extractRecipients {@code -t}: recipients from the To, Cc and Bcc headers
 * @param ignoreDots        {@code -i}/{@code -oi}: a line with a single dot does not end the message
 * @param bodyType          {@code -B 7BIT|8BITMIME}, as given
 * @param dsnNotify          {@code -N never|success,failure,delay}
 * @param dsnReturn         {@code -R full|hdrs}
 * @param envelopeId        {@code -V ID}
 */
public record SendmailArguments(boolean extractRecipients, Optional<String> from, Optional<String> fullName,
                                boolean ignoreDots, Optional<String> bodyType, Set<DsnNotify> dsnNotify,
                                Optional<DsnReturn> dsnReturn, Optional<String> envelopeId, boolean verbose,
                                Optional<String> configFile, Optional<String> account, List<String> recipients) {

    public SendmailArguments {
        dsnNotify = Set.copyOf(dsnNotify);
        recipients = List.copyOf(recipients);
    }

    /** Options that take an argument. */
    private static final String WITH_ARGUMENT = "fFBNRVCahXLrOo";

    /** Parses {@code args} (without the program name); throws a usage error for what sendmail would refuse. */
    public static SendmailArguments parse(String[] args) throws CliException {
        boolean t = false;
        boolean i = false;
        boolean verbose = false;
        String from = null;
        String fullName = null;
        String body = null;
        Set<DsnNotify> notify = EnumSet.noneOf(DsnNotify.class);
        DsnReturn ret = null;
        String envid = null;
        String config = null;
        String account = null;
        List<String> recipients = new ArrayList<>();
        int k = 0;
        for (; k < args.length; k++) {
            String arg = args[k];
            if (arg.equals("--")) {
                k++;
                break;
            }
            if (!arg.startsWith("-") || arg.equals("-")) {
                recipients.add(arg);
                continue;
            }
            for (int p = 1; p < arg.length(); p++) {
                char opt = arg.charAt(p);
                if (WITH_ARGUMENT.indexOf(opt) < 0) {
                    switch (opt) {
                        case 't' -> t = true;
                        case 'i' -> i = true;
                        case 'v' -> verbose = true;
                        // Accepted for compatibility, no effect: -m (me too), -n (no aliasing), -G, -U (initial
                        // submission), -q is not: jsmtp has no queue.
                        case 'm', 'n', 'G', 'U' -> { }
                        default -> throw CliException.usage("sendmail: unknown option -" + opt);
                    }
                    continue;
                }
                String value;
                if (p + 1 < arg.length()) {
                    value = arg.substring(p + 1);
                } else if (k + 1 < args.length) {
                    value = args[++k];
                } else {
                    throw CliException.usage("sendmail: option -" + opt + " needs an argument");
                }
                switch (opt) {
                    case 'f', 'r' -> from = value;
                    case 'F' -> fullName = value;
                    case 'B' -> body = checkBody(value);
                    case 'N' -> notify = parseNotify(value);
                    case 'R' -> ret = parseReturn(value);
                    case 'V' -> envid = value;
                    case 'C' -> config = value;
                    case 'a' -> account = value;
                    case 'o' -> i |= value.equals("i");
                    // -h hop count, -X log file, -L tag, -O option: accepted and ignored.
                    default -> { }
                }
                break;
            }
        }
        for (; k < args.length; k++) {
            recipients.add(args[k]);
        }
        List<String> split = new ArrayList<>();
        for (String r : recipients) {
            split.addAll(AddressList.split(r));
        }
        if (!t && split.isEmpty()) {
            throw CliException.usage("sendmail: no recipients (give addresses or -t)");
        }
        return new SendmailArguments(t, Optional.ofNullable(from), Optional.ofNullable(fullName), i,
                Optional.ofNullable(body), notify, Optional.ofNullable(ret), Optional.ofNullable(envid), verbose,
                Optional.ofNullable(config), Optional.ofNullable(account), split);
    }

    private static String checkBody(String value) throws CliException {
        String upper = value.toUpperCase(Locale.ROOT);
        if (!upper.equals("7BIT") && !upper.equals("8BITMIME") && !upper.equals("BINARYMIME")) {
            throw CliException.usage("sendmail: -B takes 7BIT, 8BITMIME or BINARYMIME, not " + value);
        }
        return upper;
    }

    static Set<DsnNotify> parseNotify(String value) throws CliException {
        Set<DsnNotify> set = EnumSet.noneOf(DsnNotify.class);
        for (String word : value.split(",")) {
            try {
                set.add(DsnNotify.valueOf(word.strip().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw CliException.usage("DSN notify takes never or success,failure,delay, not " + value);
            }
        }
        if (set.contains(DsnNotify.NEVER) && set.size() > 1) {
            throw CliException.usage("DSN notify 'never' cannot be combined with other values");
        }
        return set;
    }

    static DsnReturn parseReturn(String value) throws CliException {
        try {
            return DsnReturn.valueOf(value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw CliException.usage("DSN return takes full or hdrs, not " + value);
        }
    }
}
