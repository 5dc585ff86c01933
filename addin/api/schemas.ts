/**
 * What the add-in accepts from the service. Every answer is checked here before anything is
 * written into the workbook: an answer that does not fit is refused as a whole.
 */
import { z } from 'zod';
import { contractIssueSchema, determinedRowSchema } from '../../shared/contract';

/** An issue of the contract (the service may add the hint). */
export const issueSchema = contractIssueSchema.extend({ hint: z.string().optional() });

/** One sent row with its parcel's figures (the wire type is shared/contract.ts's). */
export { determinedRowSchema };

export const determineAnswerSchema = z.object({
  ruleSet: z.object({ id: z.string(), version: z.string() }),
  evaluationDate: z.string(),
  rows: z.array(determinedRowSchema),
  issues: z.array(issueSchema),
  /** For a street office: the parcels of other streets whose results were not returned. */
  withheld: z.object({ street: z.string(), parcelIds: z.array(z.string()) }).optional(),
});
export type DetermineAnswer = z.infer<typeof determineAnswerSchema>;

/** Receipt of a submission; the service names the fields `submittedAt` / `sha256`. */
export const receiptSchema = z
  .object({
    id: z.string().optional(),
    submittedAt: z.string(),
    sha256: z.string().regex(/^[0-9a-f]{64}$/i),
    size: z.number().optional(),
    file: z.string().optional(),
    rows: z.number().optional(),
    errorCount: z.number().optional(),
    warningCount: z.number().optional(),
    /** What the service left out and says so (a hidden sheet of a form a visible sheet also holds). */
    notices: z.array(z.string()).optional(),
  })
  .transform((r) => ({ id: r.id ?? null, time: r.submittedAt, hash: r.sha256.toLowerCase(), rows: r.rows ?? null, errorCount: r.errorCount ?? null, warningCount: r.warningCount ?? null, notices: r.notices ?? [] }));
export type Receipt = z.output<typeof receiptSchema>;

export const healthSchema = z.object({
  status: z.string(),
  ruleSet: z.object({ id: z.string(), version: z.string() }).optional(),
  evaluationDate: z.string().optional(),
  /** The caller's role and unit, reported when a valid key was sent. */
  role: z.enum(['office', 'department', 'street']).optional(),
  unit: z.string().optional(),
  /** A credential was sent and not accepted: why (401 expired/invalid, 403 no unit role, 503 keys unreachable). */
  refused: z.object({ status: z.number(), error: z.string(), message: z.string() }).optional(),
});
export type Health = z.infer<typeof healthSchema>;

export const errorBodySchema = z.object({ error: z.string().optional(), message: z.string() });
