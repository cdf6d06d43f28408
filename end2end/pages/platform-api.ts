import { expect, type APIRequestContext } from '@playwright/test';

/** The demo API key of Harbor Dental, which scripts/e2e.sh reads from the seeding. */
export const API_KEY = process.env.E2E_API_KEY ?? '';

/** Posts a message as the call platform would, with curl's headers. */
export async function postMessage(request: APIRequestContext, message: Record<string, unknown>) {
  const response = await request.post('/api/v1/messages', {
    headers: { Authorization: `Bearer ${API_KEY}`, 'Content-Type': 'application/json' },
    data: message,
  });
  expect(response.status(), await response.text()).toBe(201);
  return response.json();
}
