// Every rule of the training doctor, in the order their findings are listed when severities tie.
import type { DoctorRule, DoctorRuleId } from './diagnosis';
import { classImbalance } from './rules/classImbalance';
import { collapsedPredictions } from './rules/collapsedPredictions';
import { learningRateTooHigh } from './rules/learningRateTooHigh';
import { learningRateTooLow } from './rules/learningRateTooLow';
import { lossDiverged } from './rules/lossDiverged';
import { lossNotFinite } from './rules/lossNotFinite';
import { overfitting } from './rules/overfitting';
import { plateau } from './rules/plateau';

export const DOCTOR_RULES: Readonly<Record<DoctorRuleId, DoctorRule>> = {
  lossNotFinite,
  lossDiverged,
  collapsedPredictions,
  learningRateTooHigh,
  learningRateTooLow,
  overfitting,
  classImbalance,
  plateau,
};
