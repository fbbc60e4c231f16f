package io.keytrail.api;

import java.io.IOException;
import java.security.Principal;
import java.util.Optional;
import java.util.Set;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.web.filter.OncePerRequestFilter;

import io.keytrail.errors.RefusalCode;

/**
 * Closed by default (design 11): every request, whatever its path, needs {@code Authorization: Bearer
 * <token>} with one of the two API tokens, checked before anything of the request is read. The right
 * of the token is left on the request for {@link AdminOperations} to check against the endpoint.
 *
 * <p>Operations (ADR 0015): exactly the health endpoints in {@link #OPEN_PATHS} answer without a token
 * (the status only; components and details for the admin token, which is presented to Actuator as a
 * principal in role {@value #ADMIN_ROLE}); every other Actuator endpoint needs the admin token.
 */
class ApiAccessFilter extends OncePerRequestFilter {
    static final String RIGHT = ApiAccessFilter.class.getName() + ".right";
    /** Health for load balancers and orchestrators: open, and nothing else is. */
    static final Set<String> OPEN_PATHS = Set.of("/actuator/health", "/actuator/health/liveness",
            "/actuator/health/readiness");
    /** Actuator's endpoints (management.endpoints.web.base-path): admin token only, health excepted. */
    static final String ACTUATOR = "/actuator";
    /** The role Actuator's health endpoint shows details to (management.endpoint.health.roles). */
    static final String ADMIN_ROLE = "KEYTRAIL_ADMIN";
    private static final String BEARER = "Bearer ";

    private final ApiTokens tokens;

    ApiAccessFilter(ApiTokens tokens) {
        this.tokens = tokens;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Optional<ApiTokens.Right> right = tokens.rightOf(bearer(request.getHeader("Authorization")));
        String path = request.getRequestURI().substring(request.getContextPath().length());
        boolean open = OPEN_PATHS.contains(path);
        if (right.isEmpty() && !open) {
            response.setHeader("WWW-Authenticate", "Bearer realm=\"keytrail\"");
            ErrorBodies.write(response, 401, RefusalCode.UNAUTHORIZED,
                    "send 'Authorization: Bearer <token>' with the API token (keytrail.api.token)");
            return;
        }
        if (!open && right.get() != ApiTokens.Right.ADMIN && (path.equals(ACTUATOR) || path.startsWith(ACTUATOR + "/"))) {
            ErrorBodies.write(response, 403, RefusalCode.FORBIDDEN,
                    "the operations endpoints (" + ACTUATOR + ") need the admin token (keytrail.api.admin-token)");
            return;
        }
        if (right.isPresent()) {
            request.setAttribute(RIGHT, right.get());
        }
        chain.doFilter(right.orElse(null) == ApiTokens.Right.ADMIN ? new Admin(request) : request, response);
    }

    /** The admin token, as Actuator sees it: a principal in role {@value #ADMIN_ROLE}. */
    private static final class Admin extends HttpServletRequestWrapper {
        private static final Principal ADMIN = () -> "keytrail-admin";

        Admin(HttpServletRequest request) {
            super(request);
        }

        @Override
        public Principal getUserPrincipal() {
            return ADMIN;
        }

        @Override
        public boolean isUserInRole(String role) {
            return ADMIN_ROLE.equals(role);
        }
    }

    private static String bearer(String header) {
        if (header == null || header.length() <= BEARER.length()
                || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return null;
        }
        return header.substring(BEARER.length()).strip();
    }
}
