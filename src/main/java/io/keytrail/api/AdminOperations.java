package io.keytrail.api;

import java.util.Set;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.HandlerMapping;

import io.keytrail.errors.RefusalCode;
import io.keytrail.errors.RefusalException;

/**
 * Which endpoints the user token may call; every other endpoint is an admin operation (export,
 * re-verification, and any endpoint added later until it is listed here): closed by default, so a new
 * admin endpoint cannot be left open to the user token by forgetting it.
 */
class AdminOperations implements HandlerInterceptor {
    /**
     * Design 11: inputs, sessions, decrypt, trail, as-of. A session's trail
     * ({@code GET /api/v1/sessions/{roomId}/{sessionId}/trail}) is answered under the session pattern: the
     * session id takes the rest of the path (ApiController).
     */
    static final Set<String> USER_OPERATIONS = Set.of(
            "POST /api/v1/inputs",
            "POST /api/v1/decrypt",
            "GET /api/v1/sessions/{roomId}/{*sessionId}",
            "GET /api/v1/audit/history",
            "GET /api/v1/audit/as-of");

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        if (!(handler instanceof HandlerMethod method) || method.getBeanType() == ErrorPage.class) {
            return true;
        }
        if (request.getAttribute(ApiAccessFilter.RIGHT) == ApiTokens.Right.ADMIN) {
            return true;
        }
        String operation = request.getMethod() + " "
                + request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE);
        if (request.getAttribute(ApiAccessFilter.RIGHT) == ApiTokens.Right.USER
                && USER_OPERATIONS.contains(operation)) {
            return true;
        }
        throw new RefusalException(RefusalCode.FORBIDDEN, operation + " is an admin operation: it needs the admin"
                + " token (keytrail.api.admin-token)");
    }
}
