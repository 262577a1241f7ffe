// Liveness and readiness answers.
import { Type } from 'typebox';

export const HealthResponseSchema = Type.Object({ status: Type.Literal('ok') });

export const ReadyResponseSchema = Type.Object({ status: Type.Literal('ready') });

export const NotReadyResponseSchema = Type.Object({
  status: Type.Literal('unavailable'),
  message: Type.String({ description: 'What is not answering.' }),
});
