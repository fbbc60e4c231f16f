package io.keytrail.api;

import java.io.IOException;

import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;

/**
 * Tomcat's last word on a failed request, in the API's error shape instead of Tomcat's HTML page.
 * It answers what fails before Spring sees the request at all (a bad percent-encoding in the path, a
 * malformed request line); it never shows the exception, the server version or a stack trace.
 */
public class JsonErrorReportValve extends ErrorReportValve {
    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        try {
            byte[] body = ErrorBodies.bytes(ErrorBodies.codeOf(status), messageOf(status));
            response.resetBuffer();
            response.setContentType("application/json");
            response.setCharacterEncoding("UTF-8");
            response.setContentLength(body.length);
            response.getOutputStream().write(body);
            response.finishResponse();
        } catch (IOException | IllegalStateException e) {
            // The client is gone or the response cannot be written: nothing more to say to anyone.
        }
    }

    static String messageOf(int status) {
        return switch (status) {
            case 400 -> "the request is malformed (request line, header or percent-encoding in the path)";
            case 404 -> "no such endpoint; the API is under /api/v1";
            case 413 -> "the request is too large";
            default -> status < 500 ? "the request was refused (HTTP " + status + ")"
                    : "internal error: the request could not be processed; the service log has the details";
        };
    }
}
