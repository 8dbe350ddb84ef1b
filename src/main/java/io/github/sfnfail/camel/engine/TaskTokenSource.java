package io.github.sfnfail.camel.engine;

import org.apache.camel.Message;

/**
 * Where an answer's task token comes from (the CamelAwsSfnTaskToken header, else the taskToken option) and the checks
 * every token passes before any call, so that a token Step Functions would refuse fails at once, naming where it came
 * from and what is wrong, without showing it.
 */
public final class TaskTokenSource {

    public static final int MAX_TOKEN_LENGTH = 2048;

    private TaskTokenSource() {
    }

    /**
     * @return the token of the header, else of the option, checked
     * @throws InvalidTaskAnswerException when there is none or Step Functions would refuse it
     */
    public static String resolve(Message message, String option) {
        // the type converter turns byte[], StringBuilder... into text
        String header = message.getHeader(TaskHeaders.TASK_TOKEN, String.class);
        if (header != null) {
            check(header, "header " + TaskHeaders.TASK_TOKEN);
            return header;
        }
        check(option, option != null ? "option taskToken" : "header " + TaskHeaders.TASK_TOKEN + " or option taskToken");
        return option;
    }

    /**
     * @param source where the token came from, named in the message (for example "header CamelAwsSfnTaskToken")
     */
    public static void check(String token, String source) {
        if (token == null) {
            throw refused("No task token in " + source);
        }
        if (token.isBlank()) {
            throw refused("No task token: " + source + " is blank");
        }
        if (token.length() > MAX_TOKEN_LENGTH) {
            throw refused("The task token from " + source + " is " + token.length() + " characters long; Step "
                          + "Functions accepts at most " + MAX_TOKEN_LENGTH + " (token " + TaskTokens.mask(token) + ")");
        }
        int whitespace = firstWhitespace(token);
        if (whitespace < 0) {
            return;
        }
        String found = "The task token from " + source + " contains " + describe(token.charAt(whitespace))
                       + " at position " + whitespace + " (token " + TaskTokens.mask(token) + "); real task tokens "
                       + "never contain whitespace. ";
        if (token.substring(whitespace).isBlank()) {
            char c = token.charAt(whitespace);
            throw refused(found + (c == '\n' || c == '\r'
                    ? "It ends the token: most likely the line break of a file or a command's output (echo adds one); "
                      + "trim the token"
                    : "It ends the token: most likely copied or typed with it; trim the token"));
        }
        throw refused(found + "A space is most likely a '+' decoded on the way (URL query or form decoding): pass the "
                      + "token unchanged, as taskToken=RAW(...) in an endpoint URI or as received in the header");
    }

    private static InvalidTaskAnswerException refused(String message) {
        return new InvalidTaskAnswerException(InvalidTaskAnswerException.Part.TOKEN, message);
    }

    private static int firstWhitespace(String token) {
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            // every character of a real token is printable ASCII: only the others need the slower look-up
            if ((c <= ' ' || c >= 0x7f) && (Character.isWhitespace(c) || Character.isSpaceChar(c))) {
                return i;
            }
        }
        return -1;
    }

    private static String describe(char whitespace) {
        return switch (whitespace) {
            case ' ' -> "a space";
            case '\t' -> "a tab";
            case '\n', '\r' -> "a line break";
            default -> String.format("whitespace (U+%04X)", (int) whitespace);
        };
    }
}
